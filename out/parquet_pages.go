package out

import (
	"errors"
	"io"
	"os"
)

// pagePool is the parquet writer's page buffer pool of a samples file: the
// pages of every column of the current row group, kept in ONE temporary
// file (parquet.NewFileBufferPool opens one per column, so that a scenario of
// a thousand inputs ran out of file descriptors under `ulimit -n 1024`).
// Each buffer is a list of extents of the file; the file is emptied when
// every buffer has been given back (after each row group).
type pagePool struct {
	dir, pattern string
	f            *os.File
	end          int64 // bytes of the file in use
	live         int   // buffers given out and not yet back
	err          error
}

// newPagePool keeps its file in dir, named by pattern (os.CreateTemp's).
func newPagePool(dir, pattern string) *pagePool { return &pagePool{dir: dir, pattern: pattern} }

// GetBuffer is a new, empty buffer.
func (p *pagePool) GetBuffer() io.ReadWriteSeeker {
	if p.f == nil && p.err == nil {
		p.f, p.err = os.CreateTemp(p.dir, p.pattern)
	}
	if p.err != nil {
		return &pageBuf{err: p.err}
	}
	p.live++
	return &pageBuf{pool: p}
}

// PutBuffer takes a buffer back; with the last one, the file is emptied.
func (p *pagePool) PutBuffer(b io.ReadWriteSeeker) {
	pb, ok := b.(*pageBuf)
	if !ok || pb.pool != p {
		return
	}
	pb.pool, pb.ext = nil, nil
	if p.live--; p.live == 0 && p.f != nil {
		if err := p.f.Truncate(0); err == nil {
			p.end = 0
		}
	}
}

// close removes the file.
func (p *pagePool) close() {
	if p.f != nil {
		p.f.Close()
		os.Remove(p.f.Name())
		p.f = nil
	}
}

// extent is a run of a buffer's bytes in the pool's file.
type extent struct{ off, n int64 }

// pageBuf is one buffer of a pagePool.
type pageBuf struct {
	pool      *pagePool
	ext       []extent
	size, pos int64
	err       error
}

var errBufferReturned = errors.New("parquet page buffer used after it was given back")

// at is the file offset of the buffer's byte pos and how many bytes follow
// it in the same extent.
func (b *pageBuf) at(pos int64) (off, room int64) {
	for _, e := range b.ext {
		if pos < e.n {
			return e.off + pos, e.n - pos
		}
		pos -= e.n
	}
	return 0, 0
}

func (b *pageBuf) Write(data []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.pool == nil {
		return 0, errBufferReturned
	}
	if b.pos > b.size {
		return 0, errors.New("parquet page buffer: write past its end")
	}
	done := 0
	for len(data) > 0 && b.pos < b.size { // over bytes written before
		off, room := b.at(b.pos)
		n := int(min(room, int64(len(data))))
		if _, err := b.pool.f.WriteAt(data[:n], off); err != nil {
			return done, err
		}
		data, done, b.pos = data[n:], done+n, b.pos+int64(n)
	}
	if len(data) == 0 {
		return done, nil
	}
	off := b.pool.end
	n, err := b.pool.f.WriteAt(data, off)
	b.pool.end += int64(n)
	if k := len(b.ext) - 1; k >= 0 && b.ext[k].off+b.ext[k].n == off {
		b.ext[k].n += int64(n)
	} else if n > 0 {
		b.ext = append(b.ext, extent{off, int64(n)})
	}
	b.size += int64(n)
	b.pos += int64(n)
	return done + n, err
}

func (b *pageBuf) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.pool == nil {
		return 0, errBufferReturned
	}
	if b.pos >= b.size {
		return 0, io.EOF
	}
	done := 0
	for done < len(p) && b.pos < b.size {
		off, room := b.at(b.pos)
		n := int(min(room, int64(len(p)-done)))
		m, err := b.pool.f.ReadAt(p[done:done+n], off)
		done, b.pos = done+m, b.pos+int64(m)
		if err != nil && m < n {
			return done, err
		}
	}
	return done, nil
}

func (b *pageBuf) Seek(offset int64, whence int) (int64, error) {
	if b.err != nil {
		return 0, b.err
	}
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.pos
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, errors.New("parquet page buffer: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("parquet page buffer: negative position")
	}
	b.pos = offset
	return offset, nil
}
