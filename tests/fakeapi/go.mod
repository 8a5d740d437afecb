module osmdiag/tests/fakeapi

go 1.21
