package emulator

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Zone list paging bounds from the API schema.
const (
	zonesDefaultPerPage = 20
	zonesMinPerPage     = 5
	zonesMaxPerPage     = 50
	// codeBadQuery answers out-of-range paging values. [U] Cloudflare's code
	// and wording are unverified.
	codeBadQuery = 1004
)

// zoneJSON is the zone object in the field order of real API output; the meta
// quotas are ints because older clients fail to decode strings there.
type zoneJSON struct {
	ID                  string     `json:"id"`
	Name                string     `json:"name"`
	Status              string     `json:"status"`
	Paused              bool       `json:"paused"`
	Type                string     `json:"type"`
	DevelopmentMode     int        `json:"development_mode"`
	NameServers         []string   `json:"name_servers"`
	OriginalNameServers []string   `json:"original_name_servers"`
	OriginalRegistrar   *string    `json:"original_registrar"`
	OriginalDNSHost     *string    `json:"original_dnshost"`
	ModifiedOn          string     `json:"modified_on"`
	CreatedOn           string     `json:"created_on"`
	ActivatedOn         *string    `json:"activated_on"`
	Meta                zoneMeta   `json:"meta"`
	Owner               zoneOwner  `json:"owner"`
	Account             idName     `json:"account"`
	Tenant              nullIDName `json:"tenant"`
	TenantUnit          nullID     `json:"tenant_unit"`
	Permissions         []string   `json:"permissions"`
	Plan                zonePlan   `json:"plan"`
	VanityNameServers   []string   `json:"vanity_name_servers"`
}

type zoneMeta struct {
	Step                   int  `json:"step"`
	CustomCertificateQuota int  `json:"custom_certificate_quota"`
	PageRuleQuota          int  `json:"page_rule_quota"`
	PhishingDetected       bool `json:"phishing_detected"`
}

type zoneOwner struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Email string `json:"email"`
}

type idName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type nullIDName struct {
	ID   *string `json:"id"`
	Name *string `json:"name"`
}

type nullID struct {
	ID *string `json:"id"`
}

type zonePlan struct {
	ID                string  `json:"id"`
	Name              string  `json:"name"`
	Price             float64 `json:"price"`
	Currency          string  `json:"currency"`
	Frequency         string  `json:"frequency"`
	IsSubscribed      bool    `json:"is_subscribed"`
	CanSubscribe      bool    `json:"can_subscribe"`
	LegacyID          string  `json:"legacy_id"`
	LegacyDiscount    bool    `json:"legacy_discount"`
	ExternallyManaged bool    `json:"externally_managed"`
}

// Plan IDs are the real ones for the free and enterprise plans.
var planIDs = map[string]string{"free": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "enterprise": "94f3b7b768b0458b56d2cac4fe5ec0f9"}

func (z *zoneState) toJSON(owner zoneOwner) zoneJSON {
	created := formatTime(z.created)
	planName := strings.ToUpper(z.Plan[:1]) + z.Plan[1:] + " Website"
	quota := 3
	if z.Plan == "enterprise" {
		quota = 125
	}
	return zoneJSON{
		ID: z.ID, Name: z.Name, Status: z.Status, Type: "full",
		NameServers:       append([]string{}, z.NameServers...),
		ModifiedOn:        created,
		CreatedOn:         created,
		ActivatedOn:       &created,
		Meta:              zoneMeta{Step: 2, PageRuleQuota: quota, CustomCertificateQuota: 0},
		Owner:             owner,
		Account:           idName{ID: z.AccountID, Name: z.AccountName},
		Permissions:       []string{"#dns_records:edit", "#dns_records:read", "#zone:read"},
		Plan:              zonePlan{ID: planIDs[z.Plan], Name: planName, Currency: "USD", LegacyID: z.Plan, IsSubscribed: true, CanSubscribe: z.Plan == "free"},
		VanityNameServers: []string{},
	}
}

// matchOperator applies Cloudflare's zone filter syntax: an optional
// "operator:" prefix (equal, not_equal, starts_with, ends_with, contains and
// their _case_sensitive forms) before the value.
func matchOperator(filter, value string) bool {
	op, arg := "equal", filter
	if before, after, ok := strings.Cut(filter, ":"); ok {
		switch strings.TrimSuffix(before, "_case_sensitive") {
		case "equal", "not_equal", "starts_with", "ends_with", "contains":
			op, arg = before, after
		}
	}
	if cs, ok := strings.CutSuffix(op, "_case_sensitive"); ok {
		op = cs
	} else {
		arg, value = strings.ToLower(arg), strings.ToLower(value)
	}
	switch op {
	case "not_equal":
		return value != arg
	case "starts_with":
		return strings.HasPrefix(value, arg)
	case "ends_with":
		return strings.HasSuffix(value, arg)
	case "contains":
		return strings.Contains(value, arg)
	}
	return value == arg
}

// listZones answers GET /zones for the zones the caller may see.
func (s *Server) listZones(q url.Values, who *caller) (any, *resultInfo, *APIError) {
	page, perPage, e := paging(q, zonesDefaultPerPage, zonesMinPerPage, zonesMaxPerPage)
	if e != nil {
		return nil, nil, e
	}
	type check struct {
		param string
		field func(*zoneState) string
	}
	checks := []check{
		{"name", func(z *zoneState) string { return z.Name }},
		{"status", func(z *zoneState) string { return z.Status }},
		{"account.id", func(z *zoneState) string { return z.AccountID }},
		{"account.name", func(z *zoneState) string { return z.AccountName }},
	}
	matchAny := q.Get("match") == "any"
	var matched []*zoneState
	for _, id := range s.zoneOrder {
		z := s.zones[id]
		if !who.canSeeZone(z.ID) {
			continue
		}
		ok, used := !matchAny, false
		for _, c := range checks {
			for _, v := range q[c.param] {
				if c.param == "name" && !strings.Contains(v, ":") {
					if ascii, err := toASCIIName(v); err == nil {
						v = ascii
					}
				}
				used = true
				if m := matchOperator(v, c.field(z)); matchAny {
					ok = ok || m
				} else {
					ok = ok && m
				}
			}
		}
		if ok || !used {
			matched = append(matched, z)
		}
	}
	orderKey := map[string]func(*zoneState) string{
		"name": func(z *zoneState) string { return z.Name }, "status": func(z *zoneState) string { return z.Status },
		"account.id": func(z *zoneState) string { return z.AccountID }, "account.name": func(z *zoneState) string { return z.AccountName },
		"plan.id": func(z *zoneState) string { return planIDs[z.Plan] },
	}[q.Get("order")]
	if orderKey == nil {
		orderKey = orderKeyName
	}
	desc := q.Get("direction") == "desc"
	sort.SliceStable(matched, func(i, j int) bool {
		a, b := orderKey(matched[i]), orderKey(matched[j])
		if desc {
			return a > b
		}
		return a < b
	})
	out := []zoneJSON{}
	info := pageOf(len(matched), page, perPage)
	for _, z := range matched[info.from:info.to] {
		out = append(out, z.toJSON(s.zoneOwner()))
	}
	// An empty zone list reports total_pages 0 (dns_records reports 1).
	return out, &info.resultInfo, nil
}

// zoneOwner is the emulated user: every zone belongs to the first key's user.
func (s *Server) zoneOwner() zoneOwner {
	email := s.userEmail()
	return zoneOwner{ID: userID(email), Type: "user", Email: email}
}

func orderKeyName(z *zoneState) string { return z.Name }

// zoneFor resolves a zone-scoped path: a malformed or unknown id cannot be
// routed (7003 + 7000), and a zone outside the token's scope is an
// authentication error. [U] Unknown but well-formed ids get the same 7003 pair
// as malformed ones; the scope check comes first so scoped tokens learn
// nothing about zones they cannot see.
func (s *Server) zoneFor(r *http.Request, zoneID string, who *caller) (*zoneState, *APIError) {
	noRoute := errCouldNotRoute(r)
	if !isID(zoneID) {
		return nil, noRoute
	}
	if !who.canSeeZone(zoneID) {
		return nil, errAuthentication()
	}
	z, ok := s.zones[zoneID]
	if !ok {
		return nil, noRoute
	}
	return z, nil
}
