package ingest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Expand turns the command-line inputs into the list of files to read:
// "-" stays as stdin, a directory gives every regular file below it
// (recursively, in lexical order, hidden files and directories excluded),
// and a pattern with *, ? or [ that names no existing file is expanded as
// a glob. Inputs that do not exist and globs that match nothing are
// errors, so a typo does not silently read nothing.
func Expand(inputs []string) ([]string, error) {
	var out []string
	for _, in := range inputs {
		if in == "-" {
			out = append(out, in)
			continue
		}
		fi, err := os.Stat(in)
		if err != nil {
			if !os.IsNotExist(err) || !strings.ContainsAny(in, "*?[") {
				return nil, fmt.Errorf("input %s: %w", in, err)
			}
			matches, gerr := filepath.Glob(in)
			if gerr != nil {
				return nil, fmt.Errorf("input %s: %w", in, gerr)
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("input %s: no files match", in)
			}
			sort.Strings(matches)
			for _, m := range matches {
				files, err := expandPath(m)
				if err != nil {
					return nil, err
				}
				out = append(out, files...)
			}
			continue
		}
		if !fi.IsDir() {
			out = append(out, in)
			continue
		}
		files, err := expandPath(in)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// expandPath lists a file, or the regular files below a directory.
func expandPath(path string) ([]string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", path, err)
	}
	if !fi.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("input %s: %w", p, err)
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}
