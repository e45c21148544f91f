package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type FaultKind string

const (
	FaultStatus          FaultKind = "status"            // answer Status with an error envelope (429: Retry-After when RetryAfter != "")
	FaultResetBefore     FaultKind = "reset_before"      // drop the connection before processing (nothing changes)
	FaultDropAfterCommit FaultKind = "drop_after_commit" // process fully (state changes), then drop the connection
	FaultHang            FaultKind = "hang"              // hold the request unprocessed until the client gives up or HangFor elapses (then process it)
	FaultNonJSON         FaultKind = "non_json"          // answer Status (default 502) with an HTML body
	FaultSuccessFalse    FaultKind = "success_false"     // HTTP 200 with success:false and Code/Message in errors
	FaultEmptyErrors     FaultKind = "empty_errors"      // answer Status (default 500) with success:false and errors:[]
)

// Fault is a scripted misbehaviour for the next matching requests. The drop
// kinds abort the handler with http.ErrAbortHandler, so they need a real
// http.Server (Start, or httptest.NewServer). Note that Go's transport
// silently retries an idempotent request (GET) once when a reused connection
// is dropped before any answer.
type Fault struct {
	Method     string        `json:"method"`      // "" = any
	Route      string        `json:"route"`       // Counts key ("POST /zones/{zone_id}/dns_records") or bare pattern; "" = any
	Kind       FaultKind     `json:"kind"`        //
	Status     int           `json:"status"`      //
	Code       int           `json:"code"`        //
	Message    string        `json:"message"`     //
	RetryAfter string        `json:"retry_after"` // Retry-After header value, "" = none
	HangFor    time.Duration `json:"hang_for"`    // FaultHang: 0 = until the client disconnects
	Times      int           `json:"times"`       // matching requests it applies to; 0 = 1
}

func (f *Fault) matches(method, routeKey string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.Route == "" || f.Route == routeKey {
		return true
	}
	_, pattern, _ := strings.Cut(routeKey, " ")
	return f.Route == pattern
}

// takeFault consumes one use of the first queued fault matching the request;
// s.mu is held.
func (s *Server) takeFault(method, routeKey string) *Fault {
	for i, f := range s.faults {
		if !f.matches(method, routeKey) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

// writeFault answers the kinds of fault that produce a response.
func writeFault(w http.ResponseWriter, f *Fault) {
	status := f.Status
	if status == 0 {
		status = map[FaultKind]int{FaultNonJSON: http.StatusBadGateway, FaultSuccessFalse: http.StatusOK}[f.Kind]
		if status == 0 {
			status = http.StatusInternalServerError
		}
	}
	code, message := f.Code, f.Message
	if code == 0 {
		code = codeFaultDefault
		if status == http.StatusTooManyRequests {
			code = codeRateLimited
		}
	}
	if message == "" {
		message = http.StatusText(status)
		if code == codeRateLimited {
			message = "Please wait and consider throttling your request speed"
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch f.Kind {
	case FaultNonJSON:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		text := http.StatusText(status)
		_, _ = w.Write([]byte("<html>\r\n<head><title>" + strconv.Itoa(status) + " " + text + "</title></head>\r\n<body>\r\n<center><h1>" +
			strconv.Itoa(status) + " " + text + "</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"))
	case FaultEmptyErrors:
		writeJSON(w, status, errorEnvelope{Errors: []errorEntry{}, Messages: &[]apiMessage{}})
	default: // FaultStatus, FaultSuccessFalse and unknown kinds
		writeErrorStatus(w, status, &APIError{Status: status, Code: code, Message: message})
	}
}

// serveControl is the emulator's own surface under /__emulator/, for scripts
// that run the command: counters and fault injection.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	ok := map[string]bool{"ok": true}
	switch endpoint := r.Method + " " + strings.TrimPrefix(r.URL.Path, controlPrefix); endpoint {
	case "GET counts":
		counts := s.Counts()
		counts["total"] = s.Total()
		writeJSON(w, http.StatusOK, counts)
	case "POST reset-counts":
		s.ResetCounts()
		writeJSON(w, http.StatusOK, ok)
	case "POST faults":
		var f Fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		s.InjectFault(f)
		writeJSON(w, http.StatusOK, ok)
	case "DELETE faults":
		s.ClearFaults()
		writeJSON(w, http.StatusOK, ok)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown control endpoint " + endpoint})
	}
}
