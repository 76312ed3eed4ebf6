package schema

import (
	"math/big"
	"strings"
)

// decimal is a JSON number read exactly: 0.digits × 10^exp, digits without
// leading or trailing zeros ("" for zero). Bounds and multipleOf compare
// decimals instead of floats, so that 1.0000000000000000001 is above a
// maximum of 1 and 0.3 is a multiple of 0.1; and unlike big.Rat, a
// number like 1e999999999 costs no more to read than 1e9.
type decimal struct {
	neg    bool
	digits string
	exp    int64
}

// maxExp bounds the exponents read, far beyond any float64, so that the
// arithmetic on them cannot overflow.
const maxExp = 1e15

// parseDecimal reads a number in JSON syntax.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && s[i] == '-' {
		d.neg = true
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[start:i]
	frac := ""
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[start:i]
	}
	var e int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return d, false
		}
		for i < len(s) && isDigit(s[i]) {
			if e < maxExp {
				e = e*10 + int64(s[i]-'0')
			}
			i++
		}
		if eneg {
			e = -e
		}
	}
	if i != len(s) || (intPart == "" && frac == "") {
		return d, false
	}
	all := intPart
	if frac != "" {
		all += frac
	}
	d.exp = int64(len(intPart)) + e
	trimmed := strings.TrimLeft(all, "0")
	d.exp -= int64(len(all) - len(trimmed))
	d.digits = strings.TrimRight(trimmed, "0")
	if d.digits == "" {
		return decimal{}, true
	}
	return d, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (d decimal) sign() int {
	switch {
	case d.digits == "":
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// cmp returns -1, 0 or +1 as d is less than, equal to or greater than o.
func (d decimal) cmp(o decimal) int {
	sd, so := d.sign(), o.sign()
	if sd != so || sd == 0 {
		switch {
		case sd < so:
			return -1
		case sd > so:
			return 1
		}
		return 0
	}
	m := 0
	switch {
	case d.exp > o.exp:
		m = 1
	case d.exp < o.exp:
		m = -1
	default:
		m = strings.Compare(d.digits, o.digits)
	}
	if d.neg {
		return -m
	}
	return m
}

// multipleOf reports whether d is an integer multiple of m (m > 0).
func (d decimal) multipleOf(m decimal) bool {
	if d.digits == "" {
		return true
	}
	// d = V × 10^de and m = M × 10^me with V and M integers.
	de := d.exp - int64(len(d.digits))
	me := m.exp - int64(len(m.digits))
	var v, mm big.Int
	v.SetString(d.digits, 10)
	mm.SetString(m.digits, 10)
	if de >= me {
		// M divides V × 10^k; beyond k = bitlen(M), which is at least the
		// number of factors 2 or 5 in M, more tens change nothing.
		k := de - me
		if k > int64(mm.BitLen()) {
			k = int64(mm.BitLen())
		}
		v.Mul(&v, pow10(k))
	} else {
		// M × 10^k divides V; V < 10^len(digits), so k must be smaller.
		k := me - de
		if k >= int64(len(d.digits)) {
			return false
		}
		mm.Mul(&mm, pow10(k))
	}
	return new(big.Int).Mod(&v, &mm).Sign() == 0
}

func pow10(k int64) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil)
}

// canonical is the text of d that equal numbers share (1, 1.0 and 1e0 all
// give "0.1e1"): uniqueItems, enum and const compare numbers by value.
func (d decimal) canonical() string {
	if d.digits == "" {
		return "0"
	}
	s := "0." + d.digits + "e" + big.NewInt(d.exp).String()
	if d.neg {
		return "-" + s
	}
	return s
}
