package cfapi

import (
	"errors"
	"testing"
)

func TestLongestMatch(t *testing.T) {
	zones := []Zone{
		{ID: "1", Name: "example.com"},
		{ID: "2", Name: "sub.example.com"},
		{ID: "3", Name: "example.co.uk"},
		{ID: "4", Name: "twin.example"},
		{ID: "5", Name: "twin.example"},
		{ID: "6", Name: "Upper.Example.NET"},
	}
	tests := []struct {
		fqdn      string
		want      string
		ambiguous bool
		none      bool
	}{
		{fqdn: "a.example.co.uk", want: "3"},
		{fqdn: "a.sub.example.com", want: "2"},
		{fqdn: "sub.example.com", want: "2"},
		{fqdn: "b.example.com", want: "1"},
		{fqdn: "example.com", want: "1"},
		{fqdn: "x.upper.example.net", want: "6"},
		{fqdn: "notexample.com", none: true},
		{fqdn: "co.uk", none: true},
		{fqdn: "a.twin.example", ambiguous: true},
	}
	for _, tt := range tests {
		t.Run(tt.fqdn, func(t *testing.T) {
			got, err := LongestMatch(tt.fqdn, zones)
			var none *NoZoneError
			var amb *AmbiguousZoneError
			switch {
			case tt.none:
				if !errors.As(err, &none) {
					t.Fatalf("want NoZoneError, got %v, %v", got, err)
				}
			case tt.ambiguous:
				if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
					t.Fatalf("want AmbiguousZoneError with 2 candidates, got %v, %v", got, err)
				}
			default:
				if err != nil || got.ID != tt.want {
					t.Fatalf("got %v, %v; want zone %s", got, err, tt.want)
				}
			}
		})
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://api.cloudflare.com/client/v4", true},
		{"http://127.0.0.1:8080/client/v4", true},
		{"http://localhost:8080/client/v4", true},
		{"http://[::1]:8080/client/v4", true},
		{"http://api.cloudflare.com/client/v4", false},
		{"http://10.0.0.1/client/v4", false},
		{"ftp://example.com", false},
		{"api.cloudflare.com", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := CheckBaseURL(tt.url); (err == nil) != tt.ok {
			t.Errorf("CheckBaseURL(%q) = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}
