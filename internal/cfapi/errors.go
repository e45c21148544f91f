package cfapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7/dns"
)

// Cloudflare error codes the provider acts on.
const (
	CodeAuthentication       = 10000 // valid credentials without the permission or zone scope needed
	CodeInvalidAccessToken   = 9109
	CodeInvalidAPIToken      = 1000
	CodeRateLimited          = 971
	CodeRecordDoesNotExist   = 81044
	CodeConflictAddressCNAME = 81053 // an A, AAAA or CNAME record with that host already exists
	CodeConflictCNAME        = 81054 // a CNAME record with that host already exists
	CodeConflictNS           = 81056 // NS records with that host already exist
	CodeRecordExists         = 81057 // older duplicate-record code
	CodeIdenticalRecord      = 81058
)

// APIError is a Cloudflare API error with the parts the provider shows to users.
// It never carries the request headers, so credentials cannot leak through it.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	RayID      string
	Errors     []ErrorDetail
	// SuccessFalse marks a 2xx answer whose envelope said success: false.
	SuccessFalse bool
}

// ErrorDetail is one entry of the envelope's errors list.
type ErrorDetail struct {
	Code    int
	Message string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cloudflare answered %s %s with HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.SuccessFalse {
		b.WriteString(" and success: false")
	}
	if len(e.Errors) == 0 {
		b.WriteString(" and no error details")
	}
	for i, d := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if d.Code != 0 {
			fmt.Fprintf(&b, "%d ", d.Code)
		}
		b.WriteString(d.Message)
	}
	if e.RayID != "" {
		fmt.Fprintf(&b, " (ray ID %s)", e.RayID)
	}
	// Diagnostics travel over gRPC, which refuses strings that are not UTF-8.
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// HasCode reports whether the error carries one of codes.
func (e *APIError) HasCode(codes ...int) bool {
	for _, d := range e.Errors {
		for _, c := range codes {
			if d.Code == c {
				return true
			}
		}
	}
	return false
}

// wrapError turns the client library's errors into *APIError so callers and
// users see Cloudflare's codes and messages, without the raw request.
func wrapError(err error) error {
	if err == nil {
		return nil
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return err
	}
	var libErr *dns.Error
	if errors.As(err, &libErr) {
		out := &APIError{StatusCode: libErr.StatusCode}
		if libErr.Request != nil {
			out.Method = libErr.Request.Method
			out.Path = redactPath(libErr.Request.URL)
		}
		if libErr.Response != nil {
			out.RayID = libErr.Response.Header.Get("Cf-Ray")
			if status, err := strconv.Atoi(libErr.Response.Header.Get(originalStatusHeader)); err == nil {
				out.StatusCode = status
				out.SuccessFalse = libErr.Response.Header.Get(successFalseHeader) != ""
			}
		}
		for _, d := range libErr.Errors {
			out.Errors = append(out.Errors, ErrorDetail{Code: int(d.Code), Message: d.Message})
		}
		return out
	}
	return err
}

func redactPath(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Path
}

// AsAPIError returns the Cloudflare API error inside err, if there is one.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// HasCode reports whether err is a Cloudflare API error carrying one of codes.
func HasCode(err error, codes ...int) bool {
	apiErr, ok := AsAPIError(err)
	return ok && apiErr.HasCode(codes...)
}

// IsNotFound reports whether Cloudflare says the record or object does not exist.
func IsNotFound(err error) bool {
	apiErr, ok := AsAPIError(err)
	return ok && (apiErr.StatusCode == 404 || apiErr.HasCode(CodeRecordDoesNotExist))
}

// IsPermissionDenied reports whether the credentials are valid but may not do this.
func IsPermissionDenied(err error) bool {
	apiErr, ok := AsAPIError(err)
	return ok && apiErr.HasCode(CodeAuthentication)
}

// IsUnreachable reports whether the API could not be reached at all.
func IsUnreachable(err error) bool {
	if _, ok := AsAPIError(err); ok {
		return false
	}
	var timeout *RequestTimeoutError
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timeout) {
		return true
	}
	var netErr net.Error
	var opErr *net.OpError
	var urlErr *url.Error
	return errors.As(err, &netErr) || errors.As(err, &opErr) || errors.As(err, &urlErr)
}
