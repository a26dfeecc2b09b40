package evtx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Sizes of the fixed parts of an EVTX file.
const (
	// FileHeaderSize is the size of the file header block; the first chunk
	// starts right after it.
	FileHeaderSize = 4096
	// ChunkSize is the size of every chunk.
	ChunkSize = 65536
	// ChunkHeaderSize is the size of a chunk header, including the string
	// and template offset tables. Event records start right after it.
	ChunkHeaderSize = 512

	recordHeaderSize = 24 // signature, size, identifier, written time
	minRecordSize    = recordHeaderSize + 4
)

var (
	fileMagic   = []byte("ElfFile\x00")
	chunkMagic  = []byte("ElfChnk\x00")
	recordMagic = []byte{0x2a, 0x2a, 0x00, 0x00}
)

// ErrNotEVTX is returned when the input does not start with the EVTX file
// signature.
var ErrNotEVTX = errors.New("not an EVTX file (bad file signature)")

// File header flags.
const (
	FlagDirty = 0x1 // the file was not closed cleanly
	FlagFull  = 0x2 // the log reached its maximum size
)

// FileHeader is the header at the start of an EVTX file.
type FileHeader struct {
	FirstChunk      uint64 // number of the oldest chunk
	LastChunk       uint64 // number of the newest chunk
	NextRecordID    uint64 // identifier the next written record will get
	HeaderSize      uint32 // 128
	MinorVersion    uint16 // 1, or 2 on Windows 10 2004 and later
	MajorVersion    uint16 // 3
	HeaderBlockSize uint16 // 4096
	ChunkCount      uint16 // number of chunks in use according to the header
	Flags           uint32 // FlagDirty, FlagFull
	Checksum        uint32 // CRC32 of the first 120 bytes
	// ChecksumValid reports whether Checksum matches the header bytes.
	ChecksumValid bool
}

// Dirty reports whether the header has the dirty flag set, meaning the
// file was not closed cleanly and the header counts may be stale.
func (h *FileHeader) Dirty() bool { return h.Flags&FlagDirty != 0 }

// Full reports whether the header has the full flag set.
func (h *FileHeader) Full() bool { return h.Flags&FlagFull != 0 }

// ParseFileHeader parses the file header at the start of b, which must hold
// at least the first 128 bytes of the file. A checksum mismatch is not an
// error; it is reported in ChecksumValid.
func ParseFileHeader(b []byte) (FileHeader, error) {
	var h FileHeader
	if len(b) < 128 {
		return h, fmt.Errorf("file header: need 128 bytes, have %d", len(b))
	}
	if !bytes.Equal(b[:8], fileMagic) {
		return h, ErrNotEVTX
	}
	le := binary.LittleEndian
	h.FirstChunk = le.Uint64(b[8:])
	h.LastChunk = le.Uint64(b[16:])
	h.NextRecordID = le.Uint64(b[24:])
	h.HeaderSize = le.Uint32(b[32:])
	h.MinorVersion = le.Uint16(b[36:])
	h.MajorVersion = le.Uint16(b[38:])
	h.HeaderBlockSize = le.Uint16(b[40:])
	h.ChunkCount = le.Uint16(b[42:])
	h.Flags = le.Uint32(b[120:])
	h.Checksum = le.Uint32(b[124:])
	h.ChecksumValid = crc32.ChecksumIEEE(b[:120]) == h.Checksum
	return h, nil
}

// ChunkHeader is the 512-byte header of a chunk.
type ChunkHeader struct {
	FirstRecordNumber uint64
	LastRecordNumber  uint64
	FirstRecordID     uint64
	LastRecordID      uint64
	HeaderSize        uint32 // 128
	LastRecordOffset  uint32 // offset of the last record, from the chunk start
	FreeSpaceOffset   uint32 // offset of the free space, from the chunk start
	DataChecksum      uint32 // CRC32 of the records, [512, FreeSpaceOffset)
	Flags             uint32
	Checksum          uint32 // CRC32 of bytes [0,120) and [128,512)
	// StringOffsets is the table of chunk offsets of common names, 64
	// hash buckets.
	StringOffsets [64]uint32
	// TemplateOffsets is the table of chunk offsets of template
	// definitions, 32 hash buckets.
	TemplateOffsets [32]uint32

	// ChecksumValid reports whether Checksum matches the header bytes.
	ChecksumValid bool
	// DataChecksumValid reports whether DataChecksum matches the record
	// bytes. It is false when FreeSpaceOffset is out of range or the chunk
	// is truncated before it.
	DataChecksumValid bool
}

// RecordCount returns the number of records the header declares, or -1 if
// the record numbers are implausible.
func (h *ChunkHeader) RecordCount() int {
	if h.LastRecordNumber < h.FirstRecordNumber {
		return -1
	}
	n := h.LastRecordNumber - h.FirstRecordNumber + 1
	if n > (ChunkSize-ChunkHeaderSize)/minRecordSize {
		return -1
	}
	return int(n)
}

// ParseChunkHeader parses the header of the chunk in b, which must hold at
// least the 512-byte chunk header. It fails only when b is too short or the
// signature is wrong; checksum mismatches are reported in ChecksumValid and
// DataChecksumValid.
func ParseChunkHeader(b []byte) (ChunkHeader, error) {
	var h ChunkHeader
	if len(b) < ChunkHeaderSize {
		return h, fmt.Errorf("chunk header: need %d bytes, have %d", ChunkHeaderSize, len(b))
	}
	if !bytes.Equal(b[:8], chunkMagic) {
		return h, errBadChunkMagic
	}
	le := binary.LittleEndian
	h.FirstRecordNumber = le.Uint64(b[8:])
	h.LastRecordNumber = le.Uint64(b[16:])
	h.FirstRecordID = le.Uint64(b[24:])
	h.LastRecordID = le.Uint64(b[32:])
	h.HeaderSize = le.Uint32(b[40:])
	h.LastRecordOffset = le.Uint32(b[44:])
	h.FreeSpaceOffset = le.Uint32(b[48:])
	h.DataChecksum = le.Uint32(b[52:])
	h.Flags = le.Uint32(b[120:])
	h.Checksum = le.Uint32(b[124:])
	for i := range h.StringOffsets {
		h.StringOffsets[i] = le.Uint32(b[128+4*i:])
	}
	for i := range h.TemplateOffsets {
		h.TemplateOffsets[i] = le.Uint32(b[384+4*i:])
	}
	crc := crc32.ChecksumIEEE(b[:120])
	crc = crc32.Update(crc, crc32.IEEETable, b[128:ChunkHeaderSize])
	h.ChecksumValid = crc == h.Checksum
	if f := int(h.FreeSpaceOffset); f >= ChunkHeaderSize && f <= len(b) {
		h.DataChecksumValid = crc32.ChecksumIEEE(b[ChunkHeaderSize:f]) == h.DataChecksum
	}
	return h, nil
}

var errBadChunkMagic = errors.New("bad chunk signature")
