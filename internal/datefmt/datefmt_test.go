package datefmt

import "testing"

func TestAppend(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{string(AppendPadded(nil, 7, 3)), "007"},
		{string(AppendPadded(nil, 1234567, 7)), "1234567"},
		{string(AppendPadded(nil, 12345, 2)), "12345"},
		{string(AppendPadded(nil, 0, 1)), "0"},
		{string(AppendPadded(nil, -5, 2)), "00"},
		{string(AppendDateTime([]byte("at "), 2019, 3, 9, 23, 4, 5)), "at 2019-03-09T23:04:05"},
		{string(AppendDateTime(nil, 601, 1, 1, 0, 0, 0)), "0601-01-01T00:00:00"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
