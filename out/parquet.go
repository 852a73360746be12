package out

import (
	"io"
	"reflect"

	"github.com/crmroi/crmroi/internal/buildinfo"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// ParquetRowGroup is the number of rows of each row group of samples.parquet.
// The pages of the row group being written wait in temporary files beside
// the output, not in memory, so large row groups (good for readers, and a
// small footer) cost no memory: only one page per column, of at most
// parquetPageSize bytes, is buffered.
const ParquetRowGroup = 1 << 20

// parquetRowGroup is ParquetRowGroup; tests lower it.
var parquetRowGroup = ParquetRowGroup

// parquetPageSize is the most bytes of one column buffered before they are
// written as a page.
const parquetPageSize = 64 << 10

// parquetSamples writes samples.parquet: the columns of samples.csv, typed —
// iteration INT64, outcome a dictionary-encoded UTF-8 string, every input and
// output an optional DOUBLE, null where samples.csv has an empty cell
// (undefined, not reached) — in row groups of ParquetRowGroup rows,
// Snappy-compressed.
type parquetSamples struct {
	w       *parquet.GenericWriter[any] // rows given column by column
	outcome bool
	ncol    int
	rows    int // rows in the current row group
	vals    []parquet.Value
	names   [model.NumOutcomes][]byte
	pages   *pagePool
}

// parquetSchema is the schema of samples.parquet for l, columns in the order
// of samples.csv.
func parquetSchema(l SamplesLayout) *parquet.Schema {
	var g orderedGroup
	g = append(g, namedNode{parquet.Leaf(parquet.Int64Type), "iteration"})
	if l.Outcome {
		g = append(g, namedNode{parquet.Encoded(parquet.String(), &parquet.RLEDictionary), "outcome"})
	}
	for _, names := range [][]string{l.Inputs, l.Outputs} {
		for _, n := range names {
			g = append(g, namedNode{parquet.Optional(parquet.Leaf(parquet.DoubleType)), n})
		}
	}
	return parquet.NewSchema("samples", g)
}

// newParquetSamples writes samples.parquet to w, keeping the pages of the
// current row group in one temporary file in dir named by pagePattern
// (os.CreateTemp's pattern), removed when the file ends.
func newParquetSamples(w io.Writer, l SamplesLayout, dir, pagePattern string) (*parquetSamples, error) {
	schema := parquetSchema(l)
	pages := newPagePool(dir, pagePattern)
	opts := []parquet.WriterOption{schema, parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(int64(parquetRowGroup)), parquet.PageBufferSize(parquetPageSize),
		parquet.ColumnPageBuffers(pages)}
	// No per-page min/max in the column index: it would grow with the
	// iterations (each row group's statistics remain, for readers' pruning).
	for _, f := range schema.Fields() {
		opts = append(opts, parquet.SkipPageBounds(f.Name()))
	}
	cfg, err := parquet.NewWriterConfig(opts...)
	if err != nil {
		return nil, err
	}
	cfg.CreatedBy = parquetCreatedBy(buildinfo.Read())
	p := &parquetSamples{w: parquet.NewGenericWriter[any](w, cfg), outcome: l.Outcome, ncol: len(schema.Columns()),
		vals: make([]parquet.Value, sim.BlockSize), pages: pages}
	for o := model.Outcome(0); o < model.NumOutcomes; o++ {
		p.names[o] = []byte(o.String())
	}
	return p, nil
}

func (p *parquetSamples) block(b *sim.Block) error {
	nb := len(b.Outcomes)
	if nb == 0 {
		return nil
	}
	if cap(p.vals) < nb {
		p.vals = make([]parquet.Value, nb)
	}
	cols := p.w.ColumnWriters()
	vals := p.vals[:nb]
	c := 0
	for i := range vals {
		vals[i] = parquet.Int64Value(int64(b.Lo+i+1)).Level(0, 0, c)
	}
	if _, err := cols[c].WriteRowValues(vals); err != nil {
		return err
	}
	c++
	if p.outcome {
		for i := range vals {
			vals[i] = parquet.ByteArrayValue(p.names[b.Outcomes[i]]).Level(0, 0, c)
		}
		if _, err := cols[c].WriteRowValues(vals); err != nil {
			return err
		}
		c++
	}
	for _, set := range [][][]float64{b.Inputs, b.Outputs} {
		for _, col := range set {
			for i, v := range col[:nb] {
				if v != v || v > maxFloat || v < -maxFloat {
					vals[i] = parquet.NullValue().Level(0, 0, c)
				} else {
					vals[i] = parquet.DoubleValue(v).Level(0, 1, c)
				}
			}
			if _, err := cols[c].WriteRowValues(vals); err != nil {
				return err
			}
			c++
		}
	}
	p.rows += nb
	if p.rows >= parquetRowGroup {
		p.rows = 0
		return p.w.Flush()
	}
	return nil
}

func (p *parquetSamples) close() error {
	defer p.pages.close()
	return p.w.Close()
}

// parquetCreatedBy is the footer's created_by in the form other writers use
// ("parquet-mr version 1.8.0 (build 0fda28af…)"): the version as summary.json
// records it, then the full revision when the build knows it.
func parquetCreatedBy(b buildinfo.Info) string {
	s := "crmroi version " + b.String()
	if b.Revision != "" {
		s += " (build " + b.Revision + ")"
	}
	return s
}

// orderedGroup is a parquet group whose columns keep the order given
// (parquet.Group sorts them by name): samples.parquet has the columns of
// samples.csv, in the same order.
type orderedGroup []namedNode

// namedNode is a field of an orderedGroup.
type namedNode struct {
	parquet.Node
	name string
}

func (f namedNode) Name() string { return f.name }

func (f namedNode) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(f.name))
	}
	return reflect.Value{}
}

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return "samples" }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return reflect.TypeFor[map[string]any]() }
func (g orderedGroup) Fields() []parquet.Field {
	fields := make([]parquet.Field, len(g))
	for i := range g {
		fields[i] = g[i]
	}
	return fields
}
