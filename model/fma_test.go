//go:build !amd64.v3

package model

// fusedMultiplyAdd says whether this build lets the compiler fuse x*y+z
// into one rounding (GOAMD64=v3 does). A built-in line and the same line
// written as a custom expression agree bit for bit only when it does not.
const fusedMultiplyAdd = false
