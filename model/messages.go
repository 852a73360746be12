package model

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// MsgKey names the message of an Error for its translation. Error.Msg is the
// message in English, written where the mistake is found; Error.Args are
// what it says (names, numbers, texts quoted from the file), and the Russian
// message is written from the key and the arguments here, in one place
// (messageRu), never from the English words. An Error without a key is
// shown in English in every language.
type MsgKey uint16

// The messages that have a Russian text: the common mistakes.
const (
	MsgNone MsgKey = iota
	// MsgUnknownSetting: Args name, the nearest name or "".
	MsgUnknownSetting
	// MsgUnknownParam: Args section, name, the nearest name by spelling or
	// "", the nearest by meaning or "", the section's parameters.
	MsgUnknownParam
	// MsgBadSet: Args the flag's text.
	MsgBadSet
	// MsgOutsideDomain: Args the value as written, the share below and
	// above the domain (float64), the suggested percentage reading or "",
	// the suggested cut or "".
	MsgOutsideDomain
	// MsgNotInDomain: a number outside the domain. Args the number as
	// written, the suggested percentage reading or "".
	MsgNotInDomain
	// MsgCut: a warning, a distribution cut at its domain's edge. Args the
	// value as written, low and high (bool: cut there), the shares below and
	// above (float64).
	MsgCut
	// MsgDistribution: a distribution expression that does not parse or
	// build. Args the detail (the distributions package's words).
	MsgDistribution
	// MsgYAML: a YAML syntax error. Args the parser's words, the hint to
	// quote an expression (bool).
	MsgYAML
	// MsgNotUTF8: no Args.
	MsgNotUTF8
	// MsgUnreadable: a file that cannot be read. Args the error.
	MsgUnreadable
	// MsgWholeNumber: Args the number.
	MsgWholeNumber
	// MsgPlainNumber: a distribution where a number is required. Args the text.
	MsgPlainNumber
	// MsgMissing: a parameter not given. Args its section.
	MsgMissing
)

// In is the error as Error formats it, in language lang ("en" or "ru"):
// file:line:col, the parameter's path, the message.
func (e *Error) In(lang string) string {
	msg := e.Msg
	if lang == "ru" && e.Key != MsgNone {
		if m := messageRu(e.Key, e.Path, e.Args); m != "" {
			msg = m
		}
	}
	c := *e
	c.Msg = msg
	return c.Error()
}

// MessageIn is the error's message alone, without place and path, in lang.
func (e *Error) MessageIn(lang string) string {
	if lang == "ru" && e.Key != MsgNone {
		if m := messageRu(e.Key, e.Path, e.Args); m != "" {
			return m
		}
	}
	return e.Msg
}

// In formats every error in lang, one per line.
func (l ErrorList) In(lang string) string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.In(lang)
	}
	return strings.Join(s, "\n")
}

// WarningsIn are the scenario's warnings in lang: those about values of the
// file (Flagged) worded from their keys, the others as written.
func (s *Scenario) WarningsIn(lang string) []string {
	if lang != "ru" {
		return s.Warnings
	}
	w := make([]string, 0, len(s.Warnings))
	for i, text := range s.Warnings {
		if i < len(s.Flagged) {
			e := s.Flagged[i]
			if e.Path != "" {
				text = e.Path + ": " + e.MessageIn(lang)
			} else {
				text = e.MessageIn(lang)
			}
		}
		w = append(w, text)
	}
	return w
}

// arg returns Args[i] as a T, or T's zero value.
func arg[T any](args []any, i int) T {
	var zero T
	if i < len(args) {
		if v, ok := args[i].(T); ok {
			return v
		}
	}
	return zero
}

// shareRu writes a probability as a Russian percentage: 0,12 %.
func shareRu(p float64) string {
	return strings.Replace(strings.TrimSuffix(fmtShare(p), "%"), ".", ",", 1) + "\u00a0%"
}

// fmtNumRu writes a number as fmtNum does, with a decimal comma.
func fmtNumRu(v float64) string { return strings.Replace(fmtNum(v), ".", ",", 1) }

// paramUnitRu is the Russian unit of the parameter at path, in brackets, or "".
func paramUnitRu(path string) string {
	if p, ok := Param(path); ok {
		if u := p.UnitIn("ru", ""); u != "" {
			return " (" + u + ")"
		}
	}
	return ""
}

// messageRu is the Russian message of key with args; "" for none.
func messageRu(key MsgKey, path string, args []any) string {
	s := func(i int) string { return arg[string](args, i) }
	f := func(i int) float64 { return arg[float64](args, i) }
	switch key {
	case MsgUnknownSetting:
		m := "неизвестное имя «" + s(0) + "»: это не настройка, не раздел и не параметр"
		if s(1) != "" {
			m += " (может быть, " + s(1) + "?)"
		}
		return m
	case MsgUnknownParam:
		m := "в разделе " + s(0) + " нет параметра «" + s(1) + "»"
		switch {
		case s(2) != "":
			m += " (может быть, " + s(2) + "?)"
		case s(3) != "":
			m += "; ближайший по смыслу — " + s(3)
			if p, ok := Param(s(3)); ok && p.DocRu != "" {
				m += " (" + p.DocRu + ")"
			}
		case s(4) != "":
			m += "; его параметры: " + s(4)
		}
		if s(0) == "costs" || s(0) == "benefits" {
			m += "; свою ежемесячную статью записывают строкой раздела custom: (см. docs/methodology.ru.md)"
		}
		return m
	case MsgBadSet:
		return fmt.Sprintf("нужно ИМЯ=ЗНАЧЕНИЕ, получено %q", s(0))
	case MsgOutsideDomain:
		dom := ""
		if p, ok := Param(path); ok {
			dom = p.Domain.String()
		}
		var where []string
		if f(1) > 0 {
			where = append(where, shareRu(f(1))+" вероятности ниже границы")
		}
		if f(2) > 0 {
			where = append(where, shareRu(f(2))+" вероятности выше границы")
		}
		m := s(0) + ": " + strings.Join(where, " и ") + " допустимой области " + dom + paramUnitRu(path)
		if s(3) != "" {
			m += "; может быть, имелось в виду " + s(3) + "?"
		}
		if s(4) != "" {
			m += "; чтобы обрезать по границе, напишите " + s(4)
		} else {
			m += "; сузьте распределение, чтобы за границей было не больше " + shareRu(MaxCutMass)
		}
		return m
	case MsgNotInDomain:
		dom := ""
		if p, ok := Param(path); ok {
			dom = p.Domain.String()
		}
		m := "значение должно лежать в " + dom + paramUnitRu(path) + ", получено " + s(0)
		if s(1) != "" {
			m += "; может быть, имелось в виду " + s(1) + "?"
		}
		return m
	case MsgCut:
		low, high := arg[bool](args, 1), arg[bool](args, 2)
		p, _ := Param(path)
		switch {
		case low && high:
			return fmt.Sprintf("распределение обрезано по границам %s (за ними было %s и %s вероятности)", p.Domain, shareRu(f(3)), shareRu(f(4)))
		case low:
			return fmt.Sprintf("распределение обрезано снизу на %s (ниже было %s вероятности)", fmtNumRu(p.Domain.Lo), shareRu(f(3)))
		}
		return fmt.Sprintf("распределение обрезано сверху на %s (выше было %s вероятности)", fmtNumRu(p.Domain.Hi), shareRu(f(4)))
	case MsgDistribution:
		return "ошибка в выражении распределения: " + s(0)
	case MsgYAML:
		m := "ошибка синтаксиса YAML: " + s(0)
		if arg[bool](args, 1) {
			m += "; выражение с «: » или « ?» возьмите в кавычки"
		}
		return m
	case MsgNotUTF8:
		return "файл не является текстом в UTF-8"
	case MsgUnreadable:
		err := arg[error](args, 0)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "файл не найден"
		case errors.Is(err, fs.ErrPermission):
			return "нет прав на чтение файла"
		case err != nil:
			return "файл не читается: " + err.Error()
		}
		return "файл не читается"
	case MsgWholeNumber:
		return "нужно целое число, получено " + s(0)
	case MsgPlainNumber:
		return "нужно число, а не распределение (получено " + s(0) + ")"
	case MsgMissing:
		return "не задан; в разделе " + s(0) + " нужно задать каждый параметр (бизнес-кейс не должен опираться на молчаливые значения по умолчанию)"
	}
	return ""
}
