package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/dnsvalue"
)

// providerModel is the provider block: the confirmed Cloudflare connector.
type providerModel struct {
	APIToken       types.String  `tfsdk:"api_token"`
	APIKey         types.String  `tfsdk:"api_key"`
	Email          types.String  `tfsdk:"email"`
	AccountID      types.String  `tfsdk:"account_id"`
	BaseURL        types.String  `tfsdk:"base_url"`
	RPS            types.Float64 `tfsdk:"rps"`
	MaxRetries     types.Int64   `tfsdk:"max_retries"`
	ReadMode       types.String  `tfsdk:"read_mode"`
	RequestTimeout types.String  `tfsdk:"request_timeout"`
}

// recordModel is one cloudflaredns_record.
type recordModel struct {
	ID            types.String     `tfsdk:"id"`
	ZoneID        types.String     `tfsdk:"zone_id"`
	ZoneName      types.String     `tfsdk:"zone_name"`
	Name          types.String     `tfsdk:"name"`
	FQDN          types.String     `tfsdk:"fqdn"`
	Type          types.String     `tfsdk:"type"`
	Content       types.String     `tfsdk:"content"`
	TTL           types.Int64      `tfsdk:"ttl"`
	Proxied       types.Bool       `tfsdk:"proxied"`
	Priority      types.Int64      `tfsdk:"priority"`
	Comment       types.String     `tfsdk:"comment"`
	Tags          types.Set        `tfsdk:"tags"`
	AdoptExisting types.Bool       `tfsdk:"adopt_existing"`
	Proxiable     types.Bool       `tfsdk:"proxiable"`
	Data          *recordDataModel `tfsdk:"data"`
	Timeouts      timeouts.Value   `tfsdk:"timeouts"`
}

// recordDataModel is the data block of the structured types: CAA uses flags,
// tag and value; SRV uses priority, weight, port and target.
type recordDataModel struct {
	Flags    types.Int64  `tfsdk:"flags"`
	Tag      types.String `tfsdk:"tag"`
	Value    types.String `tfsdk:"value"`
	Priority types.Int64  `tfsdk:"priority"`
	Weight   types.Int64  `tfsdk:"weight"`
	Port     types.Int64  `tfsdk:"port"`
	Target   types.String `tfsdk:"target"`
}

// Environment variables of the provider settings.
const (
	envAPIToken   = "CLOUDFLARE_API_TOKEN"
	envAPIKey     = "CLOUDFLARE_API_KEY"
	envEmail      = "CLOUDFLARE_EMAIL"
	envAccountID  = "CLOUDFLARE_ACCOUNT_ID"
	envBaseURL    = "CLOUDFLARE_BASE_URL"
	envRPS        = "CLOUDFLARE_RPS"
	envMaxRetries = "CLOUDFLARE_MAX_RETRIES"
	envReadMode   = "CLOUDFLARE_READ_MODE"
	envTimeout    = "CLOUDFLARE_REQUEST_TIMEOUT"
)

// recordTypes are the record types cloudflaredns_record manages.
var recordTypes = []string{
	dnsvalue.TypeA, dnsvalue.TypeAAAA, dnsvalue.TypeCNAME, dnsvalue.TypeTXT, dnsvalue.TypeMX, dnsvalue.TypeNS, dnsvalue.TypeCAA, dnsvalue.TypeSRV,
}

// TTL rules: 1 means automatic; otherwise 30..86400 (Cloudflare allows 30..59
// only on Enterprise zones and says so itself).
const (
	ttlAutomatic     = 1
	ttlMin           = 30
	ttlMax           = 86400
	ttlDefault       = 3600
	defaultRecordTyp = dnsvalue.TypeA
)

// defaultOperationTimeout bounds each create, read, update and delete unless a
// timeouts block says otherwise: long enough for retries after Cloudflare's
// five-minute rate-limit block, short enough that nothing hangs for ever.
const defaultOperationTimeout = 20 * time.Minute
