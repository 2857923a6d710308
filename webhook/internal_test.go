package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestTimeCheck(t *testing.T) {
	now := time.Unix(1_800_000_000, 500_000_000)
	for _, tc := range []struct {
		unix      int64
		tolerance time.Duration
		want      error
	}{
		{1_800_000_000, 5 * time.Minute, nil},
		{1_800_000_000 - 300, 5 * time.Minute, nil},
		{1_800_000_000 + 300, 5 * time.Minute, nil},
		{1_800_000_000 - 301, 5 * time.Minute, ErrTooOld},
		{1_800_000_000 + 301, 5 * time.Minute, ErrTooNew},
		{0, 5 * time.Minute, ErrTooOld},
		{1<<63 - 1, 5 * time.Minute, ErrTooNew},
		{1_800_000_000 - 86_400, 48 * time.Hour, nil},
		{1_800_000_000 + 1, 1500 * time.Millisecond, nil},
		{1_800_000_000 + 2, 1500 * time.Millisecond, ErrTooNew},
	} {
		err := timeCheck(now, tc.unix, tc.tolerance)
		if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("timeCheck(%d, %v) = %v, want %v", tc.unix, tc.tolerance, err, tc.want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1800000000", 1800000000, true}, {"9223372036854775807", 1<<63 - 1, true},
		{"", 0, false}, {"01", 0, false}, {"+1", 0, false}, {"-1", 0, false}, {" 1", 0, false},
		{"1.5", 0, false}, {"9223372036854775808", 0, false}, {"1e9", 0, false}, {"١٢", 0, false},
	} {
		got, ok := parseTimestamp(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseTimestamp(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestStatusFor(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{ErrBadSignature, http.StatusUnauthorized},
		{ErrTooOld, http.StatusUnauthorized},
		{ErrTooNew, http.StatusUnauthorized},
		{fmt.Errorf("%w: detail", ErrBadSignature), http.StatusUnauthorized},
		{ErrMissingHeader, http.StatusBadRequest},
		{ErrMalformedHeader, http.StatusBadRequest},
		{ErrMalformedEvent, http.StatusBadRequest},
	} {
		if got := statusFor(tc.err); got != tc.want {
			t.Errorf("statusFor(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
