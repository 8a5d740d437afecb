module github.com/libosmdiag/osmdiag/bindings/go

go 1.21
