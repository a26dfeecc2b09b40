package eql

import "strconv"

// Token is the kind of a lexical token.
type Token uint8

// The tokens of EQL.
const (
	ILLEGAL Token = iota
	EOF

	IDENT        // process, @timestamp
	QUOTED_IDENT // `field name`
	TILDE_IDENT  // startsWith~ (a function name with the case-insensitive marker)
	STRING       // "x", """x"""
	INT          // 42
	DECIMAL      // 4.2, 1e3

	// Operators and punctuation.
	EQ       // ==
	NEQ      // !=
	LT       // <
	LTE      // <=
	GT       // >
	GTE      // >=
	ASSIGN   // =
	SEQ      // :
	PLUS     // +
	MINUS    // -
	STAR     // *
	SLASH    // /
	PERCENT  // %
	DOT      // .
	COMMA    // ,
	LBRACK   // [
	RBRACK   // ]
	MISSING  // ![
	LPAREN   // (
	RPAREN   // )
	PIPE     // |
	OPTIONAL // ?

	keywordStart
	AND
	ANY
	BY
	FALSE
	IN
	IN_I // in~
	JOIN
	LIKE
	LIKE_I // like~
	MAXSPAN
	NOT
	NULL
	OF
	OR
	REGEX
	REGEX_I // regex~
	SAMPLE
	SEQUENCE
	TRUE
	UNTIL
	WHERE
	WITH
	keywordEnd
)

var tokenNames = [...]string{
	ILLEGAL:      "illegal character",
	EOF:          "end of query",
	IDENT:        "identifier",
	QUOTED_IDENT: "quoted identifier",
	TILDE_IDENT:  "function name",
	STRING:       "string",
	INT:          "integer",
	DECIMAL:      "number",
	EQ:           "==",
	NEQ:          "!=",
	LT:           "<",
	LTE:          "<=",
	GT:           ">",
	GTE:          ">=",
	ASSIGN:       "=",
	SEQ:          ":",
	PLUS:         "+",
	MINUS:        "-",
	STAR:         "*",
	SLASH:        "/",
	PERCENT:      "%",
	DOT:          ".",
	COMMA:        ",",
	LBRACK:       "[",
	RBRACK:       "]",
	MISSING:      "![",
	LPAREN:       "(",
	RPAREN:       ")",
	PIPE:         "|",
	OPTIONAL:     "?",
	AND:          "and",
	ANY:          "any",
	BY:           "by",
	FALSE:        "false",
	IN:           "in",
	IN_I:         "in~",
	JOIN:         "join",
	LIKE:         "like",
	LIKE_I:       "like~",
	MAXSPAN:      "maxspan",
	NOT:          "not",
	NULL:         "null",
	OF:           "of",
	OR:           "or",
	REGEX:        "regex",
	REGEX_I:      "regex~",
	SAMPLE:       "sample",
	SEQUENCE:     "sequence",
	TRUE:         "true",
	UNTIL:        "until",
	WHERE:        "where",
	WITH:         "with",
}

// String returns the token's text for operators and keywords and a
// description for the others.
func (t Token) String() string {
	if int(t) < len(tokenNames) && tokenNames[t] != "" {
		return tokenNames[t]
	}
	return "token(" + strconv.Itoa(int(t)) + ")"
}

// IsKeyword reports whether t is a reserved word.
func (t Token) IsKeyword() bool { return t > keywordStart && t < keywordEnd }

var keywords = map[string]Token{}

func init() {
	for t := keywordStart + 1; t < keywordEnd; t++ {
		if s := tokenNames[t]; s[len(s)-1] != '~' {
			keywords[s] = t
		}
	}
}

// lookupKeyword returns the keyword token for an identifier, or IDENT.
// Keywords are lower case, as in Elasticsearch.
func lookupKeyword(s string) Token {
	if t, ok := keywords[s]; ok {
		return t
	}
	return IDENT
}
