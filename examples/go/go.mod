module github.com/libosmdiag/osmdiag/examples/go

go 1.21

require github.com/libosmdiag/osmdiag/bindings/go v0.0.0

replace github.com/libosmdiag/osmdiag/bindings/go => ../../bindings/go
