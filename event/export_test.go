package event

// SetIndexing makes the Decoder build a string index for every text when
// on (where the machine can), or never, for tests and benchmarks that
// compare the two ways.
func (d *Decoder) SetIndexing(on bool) {
	d.indexing = indexNever
	if on {
		d.indexing = indexAlways
	}
}

// ScanIndexed is Scan with the string index or without it.
func ScanIndexed(data []byte, on bool) error {
	if on {
		return scan(data, indexAlways)
	}
	return scan(data, indexNever)
}
