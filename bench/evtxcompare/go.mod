module github.com/vigil-sec/vigil/bench/evtxcompare

go 1.26.8

replace github.com/vigil-sec/vigil => ../..

require (
	github.com/0xrawsec/golang-evtx v1.2.9
	github.com/vigil-sec/vigil v0.0.0-00010101000000-000000000000
)

require (
	github.com/0xrawsec/golang-utils v1.3.0 // indirect
	golang.org/x/net v0.62.0 // indirect
)
