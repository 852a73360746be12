package model

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
)

// The analyst's expressions (custom lines and formula models) are parsed with
// github.com/expr-lang/expr's parser, which gives a syntax tree with source
// locations, and compiled here into a tree of closures over a []float64 of
// variable slots: no boxing, no allocation per evaluation. Every value is a
// float64; comparisons and logic give 1 or 0, and any value other than 0 is
// true. NaN propagates through every operator and function, so that a
// computation that went wrong cannot be hidden by a comparison.

// ExprError is an error in an expression, at a place in its text.
type ExprError struct {
	Offset    int // in runes from the start of the text
	Line, Col int // 1-based, in runes
	Msg       string
}

// Error formats the error as "line:col: message".
func (e *ExprError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// ExprEnv names the variables an expression may use; each is a slot of the
// []float64 the compiled expression is evaluated on.
type ExprEnv struct {
	slots map[string]int
	names []string
	// unavailable explains names that exist elsewhere but not here.
	unavailable map[string]string
}

// NewExprEnv returns an environment without variables.
func NewExprEnv() *ExprEnv {
	return &ExprEnv{slots: map[string]int{}, unavailable: map[string]string{}}
}

// Define makes name (a plain or dotted name) refer to slot.
func (e *ExprEnv) Define(name string, slot int) {
	if _, ok := e.slots[name]; !ok {
		e.names = append(e.names, name)
	}
	e.slots[name] = slot
}

// Explain gives the reason name cannot be used in this environment, reported
// instead of "unknown variable".
func (e *ExprEnv) Explain(name, reason string) { e.unavailable[name] = reason }

// Expr is a compiled expression. It is read-only and safe for concurrent use.
type Expr struct {
	// Text is the expression as written.
	Text  string
	eval  func(v []float64) float64
	slots []int
	konst bool
}

// Eval evaluates the expression on the variable slots v. It does not allocate.
func (x *Expr) Eval(v []float64) float64 { return x.eval(v) }

// Slots lists the variable slots the expression reads, ascending.
func (x *Expr) Slots() []int { return x.slots }

// Constant reports whether the expression reads no variable.
func (x *Expr) Constant() bool { return x.konst }

// exprFunc is a function of the expression language.
type exprFunc struct {
	min, max int // number of arguments; max < 0: any number ≥ min
	f1       func(float64) float64
	f2       func(a, b float64) float64
	f3       func(a, b, c float64) float64
	help     string
}

// exprFuncs are the functions of the expression language.
var exprFuncs = map[string]exprFunc{
	"abs":   {min: 1, max: 1, f1: math.Abs, help: "abs(x)"},
	"min":   {min: 1, max: -1, f2: nanMin, help: "min(x, y, …)"},
	"max":   {min: 1, max: -1, f2: nanMax, help: "max(x, y, …)"},
	"exp":   {min: 1, max: 1, f1: math.Exp, help: "exp(x)"},
	"log":   {min: 1, max: 1, f1: math.Log, help: "log(x), the natural logarithm"},
	"log10": {min: 1, max: 1, f1: math.Log10, help: "log10(x)"},
	"sqrt":  {min: 1, max: 1, f1: math.Sqrt, help: "sqrt(x)"},
	"pow":   {min: 2, max: 2, f2: math.Pow, help: "pow(x, y)"},
	"sin":   {min: 1, max: 1, f1: math.Sin, help: "sin(x), x in radians"},
	"cos":   {min: 1, max: 1, f1: math.Cos, help: "cos(x), x in radians"},
	"tan":   {min: 1, max: 1, f1: math.Tan, help: "tan(x), x in radians"},
	"floor": {min: 1, max: 1, f1: math.Floor, help: "floor(x)"},
	"ceil":  {min: 1, max: 1, f1: math.Ceil, help: "ceil(x)"},
	"round": {min: 1, max: 1, f1: math.Round, help: "round(x), halves away from zero"},
	"clamp": {min: 3, max: 3, f3: clamp, help: "clamp(x, lo, hi)"},
}

// ExprFuncNames lists the functions of the expression language, sorted.
func ExprFuncNames() []string {
	names := make([]string, 0, len(exprFuncs))
	for n := range exprFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// exprConstants are the named constants of the expression language.
var exprConstants = map[string]float64{"pi": math.Pi}

// exprKeywords are words the parser reserves: they cannot name an input.
var exprKeywords = []string{"and", "or", "not", "in", "true", "false", "nil", "let", "if", "else",
	"matches", "contains", "startsWith", "endsWith"}

func nanMin(a, b float64) float64 { return math.Min(a, b) }
func nanMax(a, b float64) float64 { return math.Max(a, b) }

// clamp limits x to [lo, hi]; NaN in any argument gives NaN.
func clamp(x, lo, hi float64) float64 {
	if x != x || lo != lo || hi != hi {
		return math.NaN()
	}
	return math.Min(math.Max(x, lo), hi)
}

// MaxExprLen is the longest expression accepted, in bytes.
const MaxExprLen = 10000

// CompileExpr parses text and compiles it over the variables of env. Every
// error is an *ExprError naming the place in text.
func CompileExpr(text string, env *ExprEnv) (*Expr, error) {
	if len(text) > MaxExprLen {
		return nil, exprErr(text, 0, fmt.Sprintf("longer than the limit of %d characters for an expression", MaxExprLen))
	}
	if !utf8.ValidString(text) {
		return nil, exprErr(text, 0, "not valid UTF-8 text")
	}
	if strings.TrimSpace(text) == "" {
		return nil, exprErr(text, 0, "empty expression")
	}
	tree, err := parseExpr(text)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, exprErr(text, fe.From, syntaxMsg(fe.Message))
		}
		return nil, exprErr(text, 0, "syntax error: "+err.Error())
	}
	c := &exprCompiler{text: text, env: env, used: map[int]bool{}}
	n, err := c.compile(tree.Node)
	if err != nil {
		return nil, err
	}
	x := &Expr{Text: text, eval: n.fn(), konst: n.isConst}
	for s := range c.used {
		x.slots = append(x.slots, s)
	}
	sort.Ints(x.slots)
	return x, nil
}

// parseExpr runs expr's parser, turning a panic inside it into an error.
func parseExpr(text string) (tree *parser.Tree, err error) {
	defer func() {
		if r := recover(); r != nil {
			tree, err = nil, fmt.Errorf("cannot parse the expression (%v)", r)
		}
	}()
	return parser.Parse(text)
}

// syntaxMsg rewords expr's syntax messages for analysts.
func syntaxMsg(m string) string {
	switch {
	case strings.HasPrefix(m, "unexpected token EOF"):
		return "syntax error: the expression ends too early"
	case strings.HasPrefix(m, "unexpected token"):
		return "syntax error: " + strings.Replace(m, "unexpected token", "unexpected", 1)
	}
	return "syntax error: " + m
}

// exprErr builds an ExprError at rune offset off of text.
func exprErr(text string, off int, msg string) *ExprError {
	line, col := 1, 1
	i := 0
	for _, r := range text {
		if i == off {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i++
	}
	return &ExprError{Offset: off, Line: line, Col: col, Msg: msg}
}

// cnode is a compiled node: a constant or a closure over the slots.
type cnode struct {
	isConst bool
	val     float64
	slot    int // ≥ 0 for a plain variable
	f       func(v []float64) float64
}

// fn returns the node as a closure.
func (n cnode) fn() func(v []float64) float64 {
	switch {
	case n.isConst:
		c := n.val
		return func([]float64) float64 { return c }
	case n.slot >= 0:
		i := n.slot
		return func(v []float64) float64 { return v[i] }
	}
	return n.f
}

// b2f turns a truth value into 1 or 0.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func konst(v float64) cnode                 { return cnode{isConst: true, val: v, slot: -1} }
func dyn(f func(v []float64) float64) cnode { return cnode{slot: -1, f: f} }
func variable(slot int) cnode               { return cnode{slot: slot} }
func isNaN(x float64) bool                  { return x != x }
func truthy(x float64) bool                 { return x != 0 }
func (c *exprCompiler) at(n ast.Node) int   { return n.Location().From }
func (c *exprCompiler) errAt(n ast.Node, f string, a ...any) error {
	return exprErr(c.text, c.at(n), fmt.Sprintf(f, a...))
}

type exprCompiler struct {
	text string
	env  *ExprEnv
	used map[int]bool
}

func (c *exprCompiler) compile(n ast.Node) (cnode, error) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return konst(float64(n.Value)), nil
	case *ast.FloatNode:
		return konst(n.Value), nil
	case *ast.BoolNode:
		return konst(b2f(n.Value)), nil
	case *ast.IdentifierNode:
		return c.variable(n, n.Value)
	case *ast.MemberNode:
		name, ok := dottedName(n)
		if !ok {
			return cnode{}, c.errAt(n, "indexing and member calls are not supported; variables are plain names or section.name")
		}
		return c.variable(startOf(n), name)
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.BuiltinNode:
		return c.call(n, n.Name, n.Arguments)
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return cnode{}, c.errAt(n, "unknown function %s; the functions are %s", n.Callee.String(), strings.Join(ExprFuncNames(), ", "))
		}
		return c.call(n, id.Value, n.Arguments)
	case *ast.StringNode:
		return cnode{}, c.errAt(n, "text (%q) is not a number; expressions compute with numbers only", n.Value)
	case *ast.NilNode:
		return cnode{}, c.errAt(n, "nil is not a number")
	case *ast.VariableDeclaratorNode:
		return cnode{}, c.errAt(n, "let is not supported; write the value out or use an extra input")
	case *ast.SequenceNode:
		return cnode{}, c.errAt(n, "';' is not supported: an expression is one formula")
	case *ast.ArrayNode, *ast.MapNode, *ast.SliceNode:
		return cnode{}, c.errAt(n, "lists and maps are not supported; expressions compute with numbers only")
	case *ast.ChainNode:
		return cnode{}, c.errAt(n, "'?.' is not supported; variables are plain names or section.name")
	case *ast.PointerNode, *ast.PredicateNode:
		return cnode{}, c.errAt(n, "'#' and predicates are not supported")
	case nil:
		return cnode{}, exprErr(c.text, 0, "syntax error")
	}
	return cnode{}, c.errAt(n, "%s is not supported in an expression", n.String())
}

// startOf returns the leftmost node of a member chain, where its name starts.
func startOf(n ast.Node) ast.Node {
	for {
		m, ok := n.(*ast.MemberNode)
		if !ok {
			return n
		}
		n = m.Node
	}
}

// dottedName turns a.b.c (member access on identifiers) into "a.b.c".
func dottedName(n *ast.MemberNode) (string, bool) {
	if n.Optional || n.Method {
		return "", false
	}
	prop, ok := n.Property.(*ast.StringNode)
	if !ok {
		return "", false
	}
	// a["b"] is a member node with a string property too: require the dot form.
	switch left := n.Node.(type) {
	case *ast.IdentifierNode:
		return left.Value + "." + prop.Value, true
	case *ast.MemberNode:
		s, ok := dottedName(left)
		return s + "." + prop.Value, ok
	}
	return "", false
}

func (c *exprCompiler) variable(at ast.Node, name string) (cnode, error) {
	if slot, ok := c.env.slots[name]; ok {
		c.used[slot] = true
		return variable(slot), nil
	}
	if v, ok := exprConstants[name]; ok {
		return konst(v), nil
	}
	if why, ok := c.env.unavailable[name]; ok {
		return cnode{}, c.errAt(at, "%s %s", name, why)
	}
	if _, ok := exprFuncs[name]; ok {
		return cnode{}, c.errAt(at, "%s is a function: write %s", name, exprFuncs[name].help)
	}
	return cnode{}, c.errAt(at, "unknown variable %s%s", name, suggest(name, c.env.names))
}

func (c *exprCompiler) unary(n *ast.UnaryNode) (cnode, error) {
	x, err := c.compile(n.Node)
	if err != nil {
		return cnode{}, err
	}
	var op func(float64) float64
	switch n.Operator {
	case "-":
		op = func(a float64) float64 { return -a }
	case "+":
		return x, nil
	case "not", "!":
		op = func(a float64) float64 {
			if isNaN(a) {
				return a
			}
			return b2f(a == 0)
		}
	default:
		return cnode{}, c.errAt(n, "unknown operator %s", n.Operator)
	}
	return c.fold1(n, op, x)
}

// fold1 applies op to x, at compile time when x is constant.
func (c *exprCompiler) fold1(n ast.Node, op func(float64) float64, x cnode) (cnode, error) {
	if x.isConst {
		return c.constant(n, op(x.val))
	}
	fx := x.fn()
	return dyn(func(v []float64) float64 { return op(fx(v)) }), nil
}

// constant is a folded constant, which must be a finite number: a constant
// NaN or infinity would stop every run.
func (c *exprCompiler) constant(n ast.Node, v float64) (cnode, error) {
	if isNaN(v) || math.IsInf(v, 0) {
		return cnode{}, c.errAt(n, "%s is %v whatever the inputs (division by zero, or a function outside its domain)", n.String(), v)
	}
	return konst(v), nil
}

func (c *exprCompiler) binary(n *ast.BinaryNode) (cnode, error) {
	switch n.Operator {
	case "+", "-", "*", "/", "^", "**", "<", ">", "<=", ">=", "==", "!=", "and", "&&", "or", "||":
	case "%":
		return cnode{}, c.errAt(n, "%% is not an operator here: write a share as a number (0.3 for 30%%)")
	default:
		return cnode{}, c.errAt(n, "operator %s is not supported; the operators are + - * / ^ (power), comparisons, and, or, not, c ? a : b", n.Operator)
	}
	a, err := c.compile(n.Left)
	if err != nil {
		return cnode{}, err
	}
	b, err := c.compile(n.Right)
	if err != nil {
		return cnode{}, err
	}
	switch n.Operator {
	case "and", "&&", "or", "||":
		return c.logic(n, n.Operator == "and" || n.Operator == "&&", a, b)
	case "^", "**":
		return c.power(n, a, b)
	}
	var op func(x, y float64) float64
	switch n.Operator {
	case "+":
		op = func(x, y float64) float64 { return x + y }
		return c.arith(n, op, a, b, '+')
	case "-":
		op = func(x, y float64) float64 { return x - y }
		return c.arith(n, op, a, b, '-')
	case "*":
		op = func(x, y float64) float64 { return x * y }
		return c.arith(n, op, a, b, '*')
	case "/":
		op = func(x, y float64) float64 { return x / y }
		return c.arith(n, op, a, b, '/')
	case "<":
		op = cmp(func(x, y float64) bool { return x < y })
	case ">":
		op = cmp(func(x, y float64) bool { return x > y })
	case "<=":
		op = cmp(func(x, y float64) bool { return x <= y })
	case ">=":
		op = cmp(func(x, y float64) bool { return x >= y })
	case "==":
		op = cmp(func(x, y float64) bool { return x == y })
	case "!=":
		op = cmp(func(x, y float64) bool { return x != y })
	}
	return c.fold2(n, op, a, b)
}

// cmp turns a comparison into 1/0, NaN where an operand is NaN.
func cmp(f func(x, y float64) bool) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		if isNaN(x) || isNaN(y) {
			return math.NaN()
		}
		return b2f(f(x, y))
	}
}

// fold2 applies op to a and b, at compile time when both are constant.
func (c *exprCompiler) fold2(n ast.Node, op func(x, y float64) float64, a, b cnode) (cnode, error) {
	if a.isConst && b.isConst {
		return c.constant(n, op(a.val, b.val))
	}
	fa, fb := a.fn(), b.fn()
	return dyn(func(v []float64) float64 { return op(fa(v), fb(v)) }), nil
}

// arith specialises the four arithmetic operations for constant and variable
// operands, the common leaves, to save calls.
func (c *exprCompiler) arith(n ast.Node, op func(x, y float64) float64, a, b cnode, o byte) (cnode, error) {
	if a.isConst && b.isConst {
		return c.constant(n, op(a.val, b.val))
	}
	if b.isConst && a.slot < 0 {
		fa, k := a.f, b.val
		switch o {
		case '+':
			return dyn(func(v []float64) float64 { return fa(v) + k }), nil
		case '-':
			return dyn(func(v []float64) float64 { return fa(v) - k }), nil
		case '*':
			return dyn(func(v []float64) float64 { return fa(v) * k }), nil
		case '/':
			return dyn(func(v []float64) float64 { return fa(v) / k }), nil
		}
	}
	if a.isConst && b.slot < 0 {
		k, fb := a.val, b.f
		switch o {
		case '+':
			return dyn(func(v []float64) float64 { return k + fb(v) }), nil
		case '-':
			return dyn(func(v []float64) float64 { return k - fb(v) }), nil
		case '*':
			return dyn(func(v []float64) float64 { return k * fb(v) }), nil
		case '/':
			return dyn(func(v []float64) float64 { return k / fb(v) }), nil
		}
	}
	if a.slot >= 0 && b.isConst {
		i, k := a.slot, b.val
		switch o {
		case '+':
			return dyn(func(v []float64) float64 { return v[i] + k }), nil
		case '-':
			return dyn(func(v []float64) float64 { return v[i] - k }), nil
		case '*':
			return dyn(func(v []float64) float64 { return v[i] * k }), nil
		case '/':
			return dyn(func(v []float64) float64 { return v[i] / k }), nil
		}
	}
	if a.isConst && b.slot >= 0 {
		k, j := a.val, b.slot
		switch o {
		case '+':
			return dyn(func(v []float64) float64 { return k + v[j] }), nil
		case '-':
			return dyn(func(v []float64) float64 { return k - v[j] }), nil
		case '*':
			return dyn(func(v []float64) float64 { return k * v[j] }), nil
		case '/':
			return dyn(func(v []float64) float64 { return k / v[j] }), nil
		}
	}
	if a.slot >= 0 && b.slot >= 0 {
		i, j := a.slot, b.slot
		switch o {
		case '+':
			return dyn(func(v []float64) float64 { return v[i] + v[j] }), nil
		case '-':
			return dyn(func(v []float64) float64 { return v[i] - v[j] }), nil
		case '*':
			return dyn(func(v []float64) float64 { return v[i] * v[j] }), nil
		case '/':
			return dyn(func(v []float64) float64 { return v[i] / v[j] }), nil
		}
	}
	fa, fb := a.fn(), b.fn()
	switch o {
	case '+':
		return dyn(func(v []float64) float64 { return fa(v) + fb(v) }), nil
	case '-':
		return dyn(func(v []float64) float64 { return fa(v) - fb(v) }), nil
	case '*':
		return dyn(func(v []float64) float64 { return fa(v) * fb(v) }), nil
	}
	return dyn(func(v []float64) float64 { return fa(v) / fb(v) }), nil
}

// power compiles a^b; small whole constant exponents become multiplications.
func (c *exprCompiler) power(n ast.Node, a, b cnode) (cnode, error) {
	if a.isConst && b.isConst {
		return c.constant(n, math.Pow(a.val, b.val))
	}
	if b.isConst {
		fa := a.fn()
		switch b.val {
		case 1:
			return a, nil
		case 2:
			return dyn(func(v []float64) float64 { x := fa(v); return x * x }), nil
		case 3:
			return dyn(func(v []float64) float64 { x := fa(v); return x * x * x }), nil
		case 4:
			return dyn(func(v []float64) float64 { x := fa(v); x *= x; return x * x }), nil
		case -1:
			return dyn(func(v []float64) float64 { return 1 / fa(v) }), nil
		}
		k := b.val
		return dyn(func(v []float64) float64 { return math.Pow(fa(v), k) }), nil
	}
	return c.fold2(n, math.Pow, a, b)
}

// logic compiles and/or with short-circuit evaluation; the result is 1 or 0
// (NaN where a deciding operand is NaN).
func (c *exprCompiler) logic(n ast.Node, and bool, a, b cnode) (cnode, error) {
	if a.isConst && b.isConst {
		return c.constant(n, logicOf(and, a.val, b.val))
	}
	fa, fb := a.fn(), b.fn()
	if and {
		return dyn(func(v []float64) float64 {
			x := fa(v)
			if isNaN(x) || x == 0 {
				return x * 0 // NaN stays NaN, 0 stays 0
			}
			y := fb(v)
			if isNaN(y) {
				return y
			}
			return b2f(y != 0)
		}), nil
	}
	return dyn(func(v []float64) float64 {
		x := fa(v)
		if isNaN(x) {
			return x
		}
		if x != 0 {
			return 1
		}
		y := fb(v)
		if isNaN(y) {
			return y
		}
		return b2f(y != 0)
	}), nil
}

func logicOf(and bool, x, y float64) float64 {
	if isNaN(x) {
		return x
	}
	if and && x == 0 {
		return 0
	}
	if !and && x != 0 {
		return 1
	}
	if isNaN(y) {
		return y
	}
	return b2f(y != 0)
}

func (c *exprCompiler) conditional(n *ast.ConditionalNode) (cnode, error) {
	cond, err := c.compile(n.Cond)
	if err != nil {
		return cnode{}, err
	}
	a, err := c.compile(n.Exp1)
	if err != nil {
		return cnode{}, err
	}
	b, err := c.compile(n.Exp2)
	if err != nil {
		return cnode{}, err
	}
	if cond.isConst {
		if truthy(cond.val) {
			return a, nil
		}
		return b, nil
	}
	fc, fa, fb := cond.fn(), a.fn(), b.fn()
	return dyn(func(v []float64) float64 {
		x := fc(v)
		switch {
		case isNaN(x):
			return x
		case x != 0:
			return fa(v)
		}
		return fb(v)
	}), nil
}

func (c *exprCompiler) call(n ast.Node, name string, args []ast.Node) (cnode, error) {
	fd, ok := exprFuncs[name]
	if !ok {
		if _, isVar := c.env.slots[name]; isVar {
			return cnode{}, c.errAt(n, "%s is a variable, not a function", name)
		}
		return cnode{}, c.errAt(n, "unknown function %s%s; the functions are %s", name, suggest(name, ExprFuncNames()), strings.Join(ExprFuncNames(), ", "))
	}
	if len(args) < fd.min || fd.max >= 0 && len(args) > fd.max {
		want := fmt.Sprintf("%d argument", fd.min)
		if fd.min != 1 {
			want += "s"
		}
		if fd.max < 0 {
			want = fmt.Sprintf("at least %d argument", fd.min)
		}
		return cnode{}, c.errAt(n, "%s takes %s: %s (got %d)", name, want, fd.help, len(args))
	}
	cs := make([]cnode, len(args))
	for i, a := range args {
		var err error
		if cs[i], err = c.compile(a); err != nil {
			return cnode{}, err
		}
	}
	switch {
	case fd.f1 != nil:
		return c.fold1(n, fd.f1, cs[0])
	case fd.f3 != nil:
		if name == "clamp" && cs[1].isConst && cs[2].isConst && cs[1].val > cs[2].val {
			return cnode{}, c.errAt(n, "clamp(x, lo, hi) needs lo ≤ hi, got lo = %v > hi = %v", cs[1].val, cs[2].val)
		}
		if cs[0].isConst && cs[1].isConst && cs[2].isConst {
			return c.constant(n, fd.f3(cs[0].val, cs[1].val, cs[2].val))
		}
		fa, fb, fc := cs[0].fn(), cs[1].fn(), cs[2].fn()
		f3 := fd.f3
		return dyn(func(v []float64) float64 { return f3(fa(v), fb(v), fc(v)) }), nil
	}
	// Two arguments, or min/max folded left over any number.
	acc := cs[0]
	if len(cs) == 1 {
		return acc, nil
	}
	for _, x := range cs[1:] {
		var err error
		if acc, err = c.fold2(n, fd.f2, acc, x); err != nil {
			return cnode{}, err
		}
	}
	return acc, nil
}
