package model

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// testEnv has x = 2, y = −0.5, z = NaN, company.margin = 0.25.
func testEnv() (*ExprEnv, []float64) {
	env := NewExprEnv()
	env.Define("x", 0)
	env.Define("y", 1)
	env.Define("z", 2)
	env.Define("company.margin", 3)
	env.Explain("t", "is only available in custom lines")
	return env, []float64{2, -0.5, math.NaN(), 0.25}
}

func TestExprValues(t *testing.T) {
	env, v := testEnv()
	cases := []struct {
		text string
		want float64
	}{
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"7 / 2", 3.5},
		{"x - 3 - 1", -2},
		{"x / 4 / 2", 0.25},
		{"-x^2", -4},
		{"(-x)^2", 4},
		{"x^3", 8},
		{"x^4", 16},
		{"x ** 3", 8},
		{"2^3^2", 512},
		{"x^-1", 0.5},
		{"x^0.5", math.Sqrt(2)},
		{"x^y", math.Pow(2, -0.5)},
		{"pow(x, 10)", 1024},
		{"400e3 * company.margin", 100e3},
		{"1_000 + x", 1002},
		{"x > 1", 1},
		{"x < 1", 0},
		{"x >= 2 and y <= -0.5", 1},
		{"x == 2", 1},
		{"x != 2", 0},
		{"1 < x < 3", 1},
		{"x > 5 or y < 0", 1},
		{"x > 5 || y > 0", 0},
		{"x > 1 && y > 1", 0},
		{"not (x > 1)", 0},
		{"!0", 1},
		{"not 0.3", 0},
		{"x > 1 ? 10 : 20", 10},
		{"x > 3 ? 10 : x > 1 ? 30 : 40", 30},
		{"true ? x : y", 2},
		{"abs(y)", 0.5},
		{"min(x, y)", -0.5},
		{"max(x, y, 7, 3)", 7},
		{"min(x)", 2},
		{"exp(0)", 1},
		{"log(exp(x))", 2},
		{"log10(1000)", 3},
		{"sqrt(x * 8)", 4},
		{"sin(0) + cos(0)", 1},
		{"tan(0)", 0},
		{"floor(y)", -1},
		{"ceil(y)", 0},
		{"round(2.5)", 3},
		{"round(-2.5)", -3},
		{"round(y)", -1},
		{"clamp(x, 0, 1)", 1},
		{"clamp(y, 0, 1)", 0},
		{"clamp(0.3, 0, 1)", 0.3},
		{"pi", math.Pi},
		{"sin(pi / 2)", 1},
		{"+x", 2},
		{"x * y + x / y - y", 2*-0.5 + 2/-0.5 + 0.5},
		{"0.1 * x^4 * sin(x)", 0.1 * 16 * math.Sin(2)},
	}
	for _, c := range cases {
		e, err := CompileExpr(c.text, env)
		if err != nil {
			t.Errorf("%s: %v", c.text, err)
			continue
		}
		if got := e.Eval(v); math.Abs(got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestExprNaN: NaN propagates through every operator, comparison, logic and
// condition, so a computation gone wrong is never hidden.
func TestExprNaN(t *testing.T) {
	env, v := testEnv()
	for _, text := range []string{"z + 1", "z > 0", "z == z", "z and 1", "1 and z", "z or 1", "0 or z", "not z",
		"z ? 1 : 2", "min(z, 1)", "max(1, z)", "clamp(z, 0, 1)", "clamp(1, z, 2)", "abs(z)", "z^2", "-z",
		"log(y)", "sqrt(y)", "x > 1 ? log(y) : 0"} {
		e, err := CompileExpr(text, env)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if got := e.Eval(v); !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", text, got)
		}
	}
	// Short-circuit: the side not taken does not matter.
	for text, want := range map[string]float64{"0 and z": 0, "1 or z": 1, "x > 1 ? 1 : z": 1} {
		e, err := CompileExpr(text, env)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Eval(v); got != want {
			t.Errorf("%s = %v, want %v", text, got, want)
		}
	}
	// Division by a variable zero is +Inf at run time (the engine stops the run).
	e, err := CompileExpr("x / (x - 2)", env)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Eval(v); !math.IsInf(got, 1) {
		t.Errorf("x / (x - 2) = %v, want +Inf", got)
	}
}

func TestExprSlotsAndConstant(t *testing.T) {
	env, _ := testEnv()
	e, err := CompileExpr("company.margin * x + company.margin", env)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Slots(); len(got) != 2 || got[0] != 0 || got[1] != 3 || e.Constant() {
		t.Errorf("slots %v constant %v", got, e.Constant())
	}
	c, err := CompileExpr("2 * (3 + 4) ^ 2", env)
	if err != nil || !c.Constant() || c.Eval(nil) != 98 {
		t.Errorf("constant: %v %v", c, err)
	}
}

// TestExprErrors: each bad expression is an error at its line and column with a useful message.
func TestExprErrors(t *testing.T) {
	env, _ := testEnv()
	cases := []struct {
		text      string
		line, col int
		want      string
	}{
		{"x +", 1, 3, "ends too early"},
		{"sin x", 1, 5, "syntax error"},
		{"(x + 1", 1, 6, "ends too early"},
		{"x + * 2", 1, 5, "syntax error"},
		{"margn * 2", 1, 1, "unknown variable margn"},
		{"2 * compny.margin", 1, 5, "did you mean company.margin"},
		{"2 * margin", 1, 5, "did you mean company.margin"},
		{"foo(x)", 1, 1, "unknown function foo"},
		{"sine(x)", 1, 1, "did you mean sin"},
		{"sin(x, y)", 1, 1, "sin takes 1 argument"},
		{"clamp(x, 1)", 1, 1, "clamp takes 3 arguments"},
		{"x(2)", 1, 1, "x is a variable, not a function"},
		{"sin + 1", 1, 1, "sin is a function"},
		{"x % 2", 1, 3, "% is not an operator"},
		{"x ?? 2", 1, 3, "operator ?? is not supported"},
		{"'abc' * 2", 1, 1, "not a number"},
		{"x[0]", 1, 2, "indexing"},
		{"let a = 1; a", 1, 5, "let is not supported"},
		{"t * 2", 1, 1, "t is only available in custom lines"},
		{"log(0)", 1, 1, "-Inf whatever the inputs"},
		{"x + 1 / 0", 1, 7, "+Inf whatever the inputs"},
		{"sqrt(-1)", 1, 1, "NaN whatever the inputs"},
		{"", 1, 1, "empty expression"},
		{"x +\n  y *", 2, 5, "ends too early"},
		{"x +\n  yy", 2, 3, "unknown variable yy"},
		{"nil", 1, 1, "not a number"},
		{"[1, 2]", 1, 1, "lists and maps"},
		{"x?.y", 1, 4, "not supported"},
	}
	if len(cases) < 15 {
		t.Fatal("too few cases")
	}
	for _, c := range cases {
		_, err := CompileExpr(c.text, env)
		var ee *ExprError
		if !errors.As(err, &ee) {
			t.Errorf("%q: got %v, want an ExprError", c.text, err)
			continue
		}
		if ee.Line != c.line || ee.Col != c.col || !strings.Contains(ee.Msg, c.want) {
			t.Errorf("%q: got %d:%d %q, want %d:%d containing %q", c.text, ee.Line, ee.Col, ee.Msg, c.line, c.col, c.want)
		}
	}
}

// TestExprNoAlloc: evaluating a compiled expression allocates nothing.
func TestExprNoAlloc(t *testing.T) {
	env, v := testEnv()
	e, err := CompileExpr("x > 1 ? sin(x) + 7 * sin(y)^2 + 0.1 * x^4 * sin(x) : max(x, y, company.margin) and clamp(y, 0, 1) or not x", env)
	if err != nil {
		t.Fatal(err)
	}
	sink := 0.0
	if a := testing.AllocsPerRun(1000, func() { sink += e.Eval(v) }); a != 0 {
		t.Errorf("%v allocations per evaluation", a)
	}
	_ = sink
}

// FuzzExpr: any text compiles to an expression or an ExprError with a place
// inside the text, never a panic; a compiled expression evaluates without panicking.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{"sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)", "company.margin * 400e3 * A",
		"x > 1 ? y : -y", "clamp(x, 0, 1) and not y or z", "max(x, y, 3) ** 2", "a.b.c(1)", "((((x))))",
		"x +", "'s' + 1", "let a = 1; a", "x | y", "[1,2][0]", "{a: 1}.a", "x?.y ?? 2", "#x", "map(x, # + 1)",
		"1 / 0", "log(-1)", "x % 2", "x in [1, 2]", "x..y", "if x > 1 { 2 } else { 3 }", "$env.x", "sin x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		env := NewExprEnv()
		env.Define("x", 0)
		env.Define("y", 1)
		env.Define("z", 2)
		env.Define("company.margin", 3)
		env.Define("A", 4)
		for i := 1; i <= 3; i++ {
			env.Define("x"+string(rune('0'+i)), 4+i)
		}
		e, err := CompileExpr(text, env)
		if err != nil {
			var ee *ExprError
			if !errors.As(err, &ee) || ee.Msg == "" || ee.Line < 1 || ee.Col < 1 {
				t.Fatalf("%q: bad error %#v", text, err)
			}
			if lines := strings.Count(text, "\n") + 1; ee.Line > lines {
				t.Fatalf("%q: error on line %d of %d", text, ee.Line, lines)
			}
			return
		}
		v := []float64{0.5, -2, 0, 0.25, 0.8, 1, 2, 3}
		_ = e.Eval(v)
		for _, s := range e.Slots() {
			if s < 0 || s >= len(v) {
				t.Fatalf("%q: slot %d", text, s)
			}
		}
	})
}

// BenchmarkExprIshigami is one evaluation of the Ishigami function.
func BenchmarkExprIshigami(b *testing.B) {
	env := NewExprEnv()
	env.Define("x1", 0)
	env.Define("x2", 1)
	env.Define("x3", 2)
	e, err := CompileExpr("sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)", env)
	if err != nil {
		b.Fatal(err)
	}
	v := []float64{0.3, -1.2, 2.5}
	sink := 0.0
	for b.Loop() {
		sink += e.Eval(v)
	}
	_ = sink
}
