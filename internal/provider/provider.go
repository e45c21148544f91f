// Package provider implements the cloudflaredns Terraform provider: the provider
// block (the confirmed Cloudflare connector) and the cloudflaredns_record resource.
package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/cfapi"
)

var _ provider.Provider = &cloudflareDNSProvider{}

// New returns a constructor of the provider for this version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &cloudflareDNSProvider{version: version}
	}
}

type cloudflareDNSProvider struct {
	version string
}

// providerData is what every resource of one provider process shares: the
// client (with its request budget and caches) and which resource holds which
// record, so that two resources of one configuration never share a record.
type providerData struct {
	client *cfapi.Client

	claimMu sync.Mutex
	// claimed maps a record ID to the resource that holds it: a create in
	// progress (create#N) or a resource read from the state (state).
	claimed map[string]string
	// inState maps a record's identity (type, name, content) to its ID, for
	// records that resources of the state hold.
	inState  map[string]string
	creators int
}

// providerDataFrom is what resources and data sources receive in Configure:
// nil until the provider is configured (settings unknown at plan time).
func providerDataFrom(raw any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if raw == nil {
		return nil, diags
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", raw))
	}
	return data, diags
}

// newCreator names one Create call, so that two resources with identical
// records can be told apart.
func (d *providerData) newCreator() string {
	d.claimMu.Lock()
	defer d.claimMu.Unlock()
	d.creators++
	return fmt.Sprintf("create#%d", d.creators)
}

// claim marks a record as held by holder. It fails when another holder has it.
func (d *providerData) claim(recordID, holder string) bool {
	d.claimMu.Lock()
	defer d.claimMu.Unlock()
	if d.claimed == nil {
		d.claimed = map[string]string{}
	}
	if prev, ok := d.claimed[recordID]; ok && prev != holder {
		return false
	}
	d.claimed[recordID] = holder
	return true
}

// heldInState records that a resource of the state holds this record.
func (d *providerData) heldInState(identity, recordID string) {
	d.claimMu.Lock()
	defer d.claimMu.Unlock()
	if d.inState == nil {
		d.inState = map[string]string{}
	}
	d.inState[identity] = recordID
	if d.claimed == nil {
		d.claimed = map[string]string{}
	}
	d.claimed[recordID] = "state"
}

// stateHolds returns the ID of a record with this identity that a resource of
// the state holds.
func (d *providerData) stateHolds(identity string) (string, bool) {
	d.claimMu.Lock()
	defer d.claimMu.Unlock()
	id, ok := d.inState[identity]
	return id, ok
}

func (p *cloudflareDNSProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudflaredns"
	resp.Version = p.version
}

// Patterns are compiled once: the framework asks for the schema on every call.
var (
	hex32    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	nonBlank = regexp.MustCompile(`\S`)
)

func notBlank() validator.String {
	return stringvalidator.RegexMatches(nonBlank, "must not be empty or only white space")
}

func (p *cloudflareDNSProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The cloudflaredns provider is the *confirmed Cloudflare connector*: it verifies its credentials with Cloudflare before any record is planned or changed, then manages DNS records through the Cloudflare API v4.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "Cloudflare API token with `Zone:DNS:Edit` and `Zone:Zone:Read`. Also `" + envAPIToken + "`. Conflicts with `api_key`.",
				Optional:            true,
				Sensitive:           true,
				// Checked in Configure with errors that carry no attribute path:
				// Terraform quotes the configuration line of an attribute error,
				// and with it a credential written there.
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Legacy global API key, used together with `email`. Also `" + envAPIKey + "`. Prefer `api_token`.",
				Optional:            true,
				Sensitive:           true,
				// Checked in Configure, like api_token.
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address of the account that owns `api_key`. Also `" + envEmail + "`.",
				Optional:            true,
				Validators:          []validator.String{notBlank(), stringvalidator.LengthAtMost(254)},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Cloudflare account ID. Needed for account-owned API tokens (verified at `/accounts/{account_id}/tokens/verify`); also limits zone look-ups to this account. Also `" + envAccountID + "`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(hex32, "must be a Cloudflare account ID: 32 lowercase hexadecimal characters")},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Cloudflare API address. Defaults to `" + cfapi.DefaultBaseURL + "`. Must be `https://`, except for loopback hosts. Also `" + envBaseURL + "`.",
				Optional:            true,
				Validators:          []validator.String{notBlank()},
			},
			"rps": schema.Float64Attribute{
				MarkdownDescription: "Client-side request budget in requests per second, shared by every resource of the provider. Defaults to 4, which is Cloudflare's 1,200 requests per 5 minutes. Also `" + envRPS + "`.",
				Optional:            true,
				Validators:          []validator.Float64{float64validator.Between(0.01, 1000)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried after HTTP 429, 5xx or a network error, with exponential backoff that honours `Retry-After`. Defaults to 4. Also `" + envMaxRetries + "`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one API request may wait for an answer before it is abandoned and retried, as a duration such as `30s` or `2m` (1s to 10m). Defaults to `60s`. Each operation is also bounded by the resource's `timeouts`. Also `" + envTimeout + "`.",
				Optional:            true,
				Validators:          []validator.String{durationBetween(time.Second, 10*time.Minute)},
			},
			"read_mode": schema.StringAttribute{
				MarkdownDescription: "How refresh (Check Status) reads records. `zone`: one listing per zone, shared by every record of the zone (a few requests for thousands of records). `record`: one GET per record. `auto` (default): `zone` for zones of up to " + fmt.Sprint(cfapi.AutoZoneLimit) + " records, `record` for bigger ones, where listing the whole zone to check a few records would cost more. Also `" + envReadMode + "`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(cfapi.ReadModes...)},
			},
		},
	}
}

// settings resolves the provider block and the environment into a client
// configuration. A value in the block wins over its environment variable.
func settings(cfg providerModel) (cfapi.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	str := func(v interface {
		IsNull() bool
		ValueString() string
	}, env string) string {
		if !v.IsNull() {
			return strings.TrimSpace(v.ValueString())
		}
		return strings.TrimSpace(os.Getenv(env))
	}
	out := cfapi.Config{
		AccountID:  str(cfg.AccountID, envAccountID),
		BaseURL:    str(cfg.BaseURL, envBaseURL),
		Email:      str(cfg.Email, envEmail),
		RPS:        cfapi.DefaultRPS,
		MaxRetries: cfapi.DefaultMaxRetries,
	}
	// A credential written in the block takes the place of both kinds from the
	// environment, so a configuration with api_token still works on a machine
	// where CLOUDFLARE_API_KEY happens to be set.
	switch {
	case !cfg.APIToken.IsNull():
		out.APIToken = strings.TrimSpace(cfg.APIToken.ValueString())
		out.APIKey = strings.TrimSpace(cfg.APIKey.ValueString())
	case !cfg.APIKey.IsNull():
		out.APIKey = strings.TrimSpace(cfg.APIKey.ValueString())
	default:
		out.APIToken = strings.TrimSpace(os.Getenv(envAPIToken))
		out.APIKey = strings.TrimSpace(os.Getenv(envAPIKey))
	}
	if out.AccountID != "" && !hex32.MatchString(out.AccountID) {
		diags.AddAttributeError(path.Root("account_id"), "Invalid account_id",
			fmt.Sprintf("The account ID from %s must be 32 lowercase hexadecimal characters.", envAccountID))
	}
	if !cfg.RPS.IsNull() {
		out.RPS = cfg.RPS.ValueFloat64()
	} else if v := os.Getenv(envRPS); v != "" {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0.01 || f > 1000 {
			diags.AddAttributeError(path.Root("rps"), "Invalid "+envRPS, fmt.Sprintf("%s=%q must be a number between 0.01 and 1000.", envRPS, v))
		}
		out.RPS = f
	}
	if !cfg.MaxRetries.IsNull() {
		out.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	} else if v := os.Getenv(envMaxRetries); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n > 20 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid "+envMaxRetries, fmt.Sprintf("%s=%q must be a whole number between 0 and 20.", envMaxRetries, v))
		}
		out.MaxRetries = n
	}
	if v := str(cfg.RequestTimeout, envTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 10*time.Minute {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", fmt.Sprintf("%q must be a duration from 1s to 10m, such as 30s.", v))
		}
		out.RequestTimeout = d
	}
	out.ReadMode = cfapi.ReadMode(str(cfg.ReadMode, envReadMode))
	if out.ReadMode == "" {
		out.ReadMode = cfapi.ReadAuto
	}
	if !slices.Contains(cfapi.ReadModes, string(out.ReadMode)) {
		diags.AddAttributeError(path.Root("read_mode"), "Invalid "+envReadMode, fmt.Sprintf("%s=%q must be one of %s.", envReadMode, out.ReadMode, strings.Join(cfapi.ReadModes, ", ")))
	}
	if out.BaseURL == "" {
		out.BaseURL = cfapi.DefaultBaseURL
	}
	if err := cfapi.CheckBaseURL(out.BaseURL); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Insecure or invalid base_url", err.Error())
	}
	for _, cred := range []struct{ name, value, env string }{
		{"api_token", out.APIToken, envAPIToken},
		{"api_key", out.APIKey, envAPIKey},
	} {
		if problem := credentialProblem(cred.value); problem != "" {
			diags.AddError("Invalid "+cred.name, fmt.Sprintf("The %s (or %s) %s. Copy it again from the Cloudflare dashboard.", cred.name, cred.env, problem))
		}
	}
	if !cfg.APIToken.IsNull() && strings.TrimSpace(cfg.APIToken.ValueString()) == "" {
		diags.AddError("Empty api_token", "api_token is empty or only white space; set it, or remove it to use "+envAPIToken+".")
	}
	if !cfg.APIKey.IsNull() && strings.TrimSpace(cfg.APIKey.ValueString()) == "" {
		diags.AddError("Empty api_key", "api_key is empty or only white space; set it, or remove it to use "+envAPIKey+".")
	}
	if diags.HasError() {
		return out, diags
	}
	switch {
	case out.APIToken != "" && out.APIKey != "":
		diags.AddError("Both kinds of Cloudflare credentials are set",
			"Set either api_token ("+envAPIToken+") or api_key with email ("+envAPIKey+", "+envEmail+"), not both. An API token is recommended.")
	case out.APIToken == "" && out.APIKey == "":
		diags.AddError("No Cloudflare credentials",
			"Set api_token in the provider block or the "+envAPIToken+" environment variable (recommended), or api_key with email ("+envAPIKey+", "+envEmail+").")
	case out.APIKey != "" && out.Email == "":
		diags.AddAttributeError(path.Root("email"), "Missing email for api_key",
			"A global API key needs the email address of its account: set email or "+envEmail+".")
	}
	return out, diags
}

func (p *cloudflareDNSProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values that are unknown until apply (for example from another resource)
	// must not fail the plan; Terraform configures the provider again at apply.
	if cfg.APIToken.IsUnknown() || cfg.APIKey.IsUnknown() || cfg.Email.IsUnknown() || cfg.AccountID.IsUnknown() ||
		cfg.BaseURL.IsUnknown() || cfg.RPS.IsUnknown() || cfg.MaxRetries.IsUnknown() || cfg.ReadMode.IsUnknown() || cfg.RequestTimeout.IsUnknown() {
		tflog.Info(ctx, "Provider settings are not known yet; the connector is confirmed at apply")
		return
	}
	conf, diags := settings(cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	conf.UserAgent = fmt.Sprintf("terraform-provider-cloudflaredns/%s (+https://registry.terraform.io/providers/cloudflaredns/cloudflaredns) terraform/%s", p.version, req.TerraformVersion)
	client, err := cfapi.New(conf)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid base_url", err.Error())
		return
	}
	resp.Diagnostics.Append(confirmConnector(ctx, client, conf)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{client: client}
	resp.ResourceData = data
	resp.DataSourceData = data
}

// credentialProblem says what is wrong with a credential's form, without
// repeating it: Cloudflare's tokens and keys are short printable strings.
func credentialProblem(value string) string {
	if len(value) > 1024 {
		return fmt.Sprintf("is %d characters long, far longer than any Cloudflare credential", len(value))
	}
	for _, r := range value {
		if r < 0x20 || r == 0x7f {
			return "contains a control character such as a line break"
		}
	}
	return ""
}

// confirmConnector verifies the credentials with Cloudflare, so that a bad token
// fails once, clearly, before any resource runs.
func confirmConnector(ctx context.Context, client *cfapi.Client, conf cfapi.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	if conf.APIToken != "" {
		status, err := client.VerifyToken(ctx)
		switch {
		case err != nil && cfapi.IsUnreachable(err):
			diags.AddError("Cloudflare API unreachable", fmt.Sprintf("Could not reach the Cloudflare API at %s to verify the API token: %s. Check base_url and the network.", client.BaseURL(), err))
		case err != nil && cfapi.HasCode(err, cfapi.CodeInvalidAPIToken, cfapi.CodeInvalidAccessToken, 6003, 6111):
			hint := "Check the token's value."
			if conf.AccountID == "" {
				hint += " An account-owned token also needs account_id (" + envAccountID + ")."
			}
			diags.AddError("Invalid Cloudflare API token", fmt.Sprintf("Cloudflare does not accept the API token (api_token): %s. %s", err, hint))
		case err != nil:
			diags.AddError("Could not verify the Cloudflare API token", "Verifying api_token failed: "+err.Error())
		case status.Status != "active":
			diags.AddError("Cloudflare API token is "+status.Status,
				fmt.Sprintf("The API token (id %s) is %s; Cloudflare refuses its requests. Enable or roll it in the Cloudflare dashboard, or use another token.", status.ID, status.Status))
		}
		return diags
	}
	err := client.VerifyKey(ctx)
	switch {
	case err == nil:
	case cfapi.IsUnreachable(err):
		diags.AddError("Cloudflare API unreachable", fmt.Sprintf("Could not reach the Cloudflare API at %s to verify the API key: %s. Check base_url and the network.", client.BaseURL(), err))
	default:
		diags.AddError("Invalid Cloudflare API key or email", fmt.Sprintf("Cloudflare does not accept the API key (api_key) with the email %s: %s.", conf.Email, err))
	}
	return diags
}

func (p *cloudflareDNSProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewRecordResource}
}

func (p *cloudflareDNSProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewZoneDataSource, NewRecordsDataSource}
}

// durationBetween validates a duration string such as "30s".
func durationBetween(lo, hi time.Duration) validator.String {
	return durationValidator{min: lo, max: hi}
}

type durationValidator struct{ min, max time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration from %s to %s, such as 30s", v.min, v.max)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(strings.TrimSpace(req.ConfigValue.ValueString()))
	if err != nil || d < v.min || d > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}
