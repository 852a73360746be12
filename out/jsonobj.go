package out

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
)

// Num is a float64 that marshals NaN and ±Inf as JSON null.
type Num float64

// MarshalJSON writes the number in the shortest form that reads back exactly, or null.
func (n Num) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return marshal(v)
}

// marshal is json.Marshal without HTML escaping (scenario names may hold < > &).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// kv is one key of an ordered JSON object.
type kv struct {
	K string
	V any
}

// Obj is a JSON object whose keys keep their order.
type Obj []kv

// MarshalJSON writes the keys in order.
func (o Obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(e.K)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(e.V)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns the value of key k, or nil.
func (o Obj) Get(k string) any {
	for _, e := range o {
		if e.K == k {
			return e.V
		}
	}
	return nil
}

// writeIndented writes o as indented JSON with a final newline.
func writeIndented(w io.Writer, o Obj) error {
	raw, err := marshal(o)
	if err != nil {
		return err
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, "", "  "); err != nil {
		return err
	}
	ind.WriteByte('\n')
	_, err = w.Write(ind.Bytes())
	return err
}
