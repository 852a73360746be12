package main

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// openRegular opens a file that crmroi reads whole, refusing what is not a
// regular file: a FIFO, a device or a socket would block or never end. It
// opens without blocking (opening a FIFO that has no writer blocks) and
// checks the open file, so the file checked is the file read.
func openRegular(name, what string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, usagef("%v", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		kind := "not a regular file"
		switch {
		case st.IsDir():
			kind = "a directory"
		case st.Mode()&os.ModeNamedPipe != 0:
			kind = "a pipe"
		case st.Mode()&os.ModeDevice != 0:
			kind = "a device"
		}
		return nil, nil, usagef("%s: is %s; %s must be a regular file", name, kind, what)
	}
	return f, st, nil
}

// statRegular is the size and mode of a regular file, as openRegular checks it.
func statRegular(name, what string) (os.FileInfo, error) {
	f, st, err := openRegular(name, what)
	if err != nil {
		return nil, err
	}
	f.Close()
	return st, nil
}

// readRegular reads a regular file whole (as large as it was when opened).
func readRegular(name, what string) ([]byte, error) {
	f, st, err := openRegular(name, what)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, st.Size()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}
