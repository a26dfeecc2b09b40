package winlog

import (
	"unicode"
	"unicode/utf8"
)

// SplitCommandLine splits a Windows command line into arguments the way
// Winlogbeat's Sysmon and PowerShell pipelines do (process.args): the
// CommandLineToArgvW rules as Go implemented them before Go 1.10, with the
// "prior to 2008" treatment of doubled quotes inside a quoted argument.
//
//   - Spaces and tabs outside quotes separate arguments; leading ones are
//     skipped.
//   - 2n backslashes followed by '"' give n backslashes and toggle quoting;
//     2n+1 backslashes followed by '"' give n backslashes and a literal '"'.
//   - Inside quotes, '""' gives a literal '"' and quoting continues.
//   - Backslashes not followed by '"' are literal.
//
// An empty or all-blank command line gives no arguments (nil).
func SplitCommandLine(cmd string) []string {
	var args []string
	for len(cmd) > 0 {
		if cmd[0] == ' ' || cmd[0] == '\t' {
			cmd = cmd[1:]
			continue
		}
		var arg []byte
		arg, cmd = appendArg(nil, cmd)
		args = append(args, string(arg))
	}
	return args
}

// appendArg appends the argument at the start of cmd, unquoted, to dst and
// returns it with the rest of the line after the separator that ended it.
func appendArg(dst []byte, cmd string) ([]byte, string) {
	b := dst
	inQuote := false
	slashes := 0
	appendSlashes := func(n int) {
		for ; n > 0; n-- {
			b = append(b, '\\')
		}
	}
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch c {
		case ' ', '\t':
			if !inQuote {
				appendSlashes(slashes)
				return b, cmd[i+1:]
			}
		case '"':
			appendSlashes(slashes / 2)
			if slashes%2 == 0 {
				if inQuote && i+1 < len(cmd) && cmd[i+1] == '"' {
					b = append(b, '"')
					i++
				}
				inQuote = !inQuote
			} else {
				b = append(b, '"')
			}
			slashes = 0
			continue
		case '\\':
			slashes++
			continue
		}
		appendSlashes(slashes)
		slashes = 0
		b = append(b, c)
	}
	appendSlashes(slashes)
	return b, ""
}

// SplitCommandLineNaive splits a command line the way the Security
// pipeline does for event 4688: every '"' toggles quoting and is kept in
// the argument, every white-space character outside quotes ends an
// argument (so runs of blanks give empty arguments and a trailing blank
// gives a trailing empty argument). An empty command line gives no
// arguments.
func SplitCommandLineNaive(cmd string) []string {
	var args []string
	eachNaiveArg(cmd, func(arg string) { args = append(args, arg) })
	return args
}

// eachNaiveArg calls f with each argument SplitCommandLineNaive gives, in
// order.
func eachNaiveArg(cmd string, f func(arg string)) {
	if cmd == "" {
		return
	}
	start := 0
	inQuote := false
	for i, r := range cmd {
		if r == '"' {
			inQuote = !inQuote
		}
		if !inQuote && isJavaWhitespace(r) {
			f(cmd[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	// The pipeline appends the remainder when it reaches the last
	// character, including an empty one after a trailing blank.
	f(cmd[start:])
}

// isJavaWhitespace reports whether r is white space by Java's
// Character.isWhitespace, which the pipeline uses: Unicode space
// separators other than the non-breaking ones, and the ASCII controls
// \t \n \v \f \r and U+001C..U+001F.
func isJavaWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f:
		return true
	case 0x00a0, 0x2007, 0x202f:
		return false
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}
