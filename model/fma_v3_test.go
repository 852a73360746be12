//go:build amd64.v3

package model

// fusedMultiplyAdd: GOAMD64=v3 lets the compiler fuse x*y+z into one
// rounding in the built-in lines, which the expression interpreter does not.
const fusedMultiplyAdd = true
