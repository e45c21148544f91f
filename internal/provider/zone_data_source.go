package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/cfapi"
	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/dnsvalue"
)

var (
	_ datasource.DataSource                     = &zoneDataSource{}
	_ datasource.DataSourceWithConfigure        = &zoneDataSource{}
	_ datasource.DataSourceWithConfigValidators = &zoneDataSource{}
)

// NewZoneDataSource is the constructor of cloudflaredns_zone.
func NewZoneDataSource() datasource.DataSource {
	return &zoneDataSource{}
}

// zoneDataSource finds one zone the credentials can see, by its name or by any
// host name inside it.
type zoneDataSource struct {
	data *providerData
}

// zoneDataSourceModel is one cloudflaredns_zone.
type zoneDataSourceModel struct {
	Name        types.String `tfsdk:"name"`
	Hostname    types.String `tfsdk:"hostname"`
	ID          types.String `tfsdk:"id"`
	Status      types.String `tfsdk:"status"`
	NameServers types.List   `tfsdk:"name_servers"`
	AccountID   types.String `tfsdk:"account_id"`
}

func (d *zoneDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_zone"
}

func (d *zoneDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	lookup := []validator.String{notBlank(), stringvalidator.LengthAtMost(254)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Cloudflare zone the credentials can see (within `account_id` when the provider sets it), found by its `name` or by a `hostname` inside it. Set exactly one of the two.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the zone, such as `example.com`. The match is exact; case, a trailing dot and Unicode versus punycode do not matter. When the zone is found by `hostname`, its name as Cloudflare stores it.",
				Optional:            true,
				Computed:            true,
				Validators:          lookup,
			},
			"hostname": schema.StringAttribute{
				MarkdownDescription: "Any name inside the zone, such as `app.sub.example.com`. The zone is the one whose name is the longest suffix of it, so `sub.example.com` wins over `example.com` when both exist.",
				Optional:            true,
				Validators:          lookup,
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "Zone ID, for `zone_id` of `cloudflaredns_record` and `cloudflaredns_records`.",
				Computed:            true,
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Zone status: `active`, `pending`, `initializing`, `moved`, `deleted` or `deactivated`.",
				Computed:            true,
			},
			"name_servers": schema.ListAttribute{
				MarkdownDescription: "Cloudflare name servers assigned to the zone, to set at the registrar.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "ID of the account that owns the zone.",
				Computed:            true,
			},
		},
	}
}

func (d *zoneDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("name"), path.MatchRoot("hostname")),
	}
}

func (d *zoneDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *zoneDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg zoneDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.Append(notConfigured("cloudflaredns_zone"))
		return
	}
	var (
		zone  cfapi.Zone
		diags diag.Diagnostics
	)
	if !cfg.Name.IsNull() {
		zone, diags = zoneByName(ctx, d.data.client, path.Root("name"), cfg.Name.ValueString())
	} else {
		zone, diags = zoneByHostname(ctx, d.data.client, path.Root("hostname"), cfg.Hostname.ValueString())
	}
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	nameServers, diags := types.ListValueFrom(ctx, types.StringType, nonNil(zone.NameServers))
	resp.Diagnostics.Append(diags...)
	state := zoneDataSourceModel{
		Name:        types.StringValue(zone.Name),
		Hostname:    cfg.Hostname,
		ID:          types.StringValue(zone.ID),
		Status:      types.StringValue(zone.Status),
		NameServers: nameServers,
		AccountID:   types.StringValue(zone.AccountID),
	}
	// Terraform requires a configured value back unchanged, so a name looked up
	// as "Example.COM." stays so; found by hostname, name is Cloudflare's.
	if !cfg.Name.IsNull() {
		state.Name = cfg.Name
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// zoneByName finds the zone with exactly this name among the zones the
// credentials see. attr is the attribute the name came from, for diagnostics.
// It shares the provider's zone list, so it costs no request when a record of
// the same run has already looked up its zone.
func zoneByName(ctx context.Context, client *cfapi.Client, attr path.Path, name string) (cfapi.Zone, diag.Diagnostics) {
	var diags diag.Diagnostics
	want, err := dnsvalue.Hostname(name)
	if err != nil {
		diags.AddAttributeError(attr, "Invalid zone name", err.Error())
		return cfapi.Zone{}, diags
	}
	all, err := client.Zones(ctx)
	if err != nil {
		diags.AddAttributeError(attr, "Could not list zones", zoneListError(err))
		return cfapi.Zone{}, diags
	}
	var found []cfapi.Zone
	for _, z := range all {
		if sameZoneName(z.Name, want) {
			found = append(found, z)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		err = &cfapi.NoZoneError{Name: want, Zones: zoneNames(all)}
	default:
		err = &cfapi.AmbiguousZoneError{Name: want, Candidates: found}
	}
	diags.Append(zoneLookupError(attr, err, true))
	return cfapi.Zone{}, diags
}

// zoneByHostname finds the zone whose name is the longest suffix of hostname.
func zoneByHostname(ctx context.Context, client *cfapi.Client, attr path.Path, hostname string) (cfapi.Zone, diag.Diagnostics) {
	var diags diag.Diagnostics
	fqdn, err := dnsvalue.Hostname(hostname)
	if err != nil {
		diags.AddAttributeError(attr, "Invalid host name", err.Error())
		return cfapi.Zone{}, diags
	}
	zone, err := client.ZoneFor(ctx, fqdn)
	if err != nil {
		diags.Append(zoneLookupError(attr, err, false))
		return cfapi.Zone{}, diags
	}
	return zone, nil
}

// zoneLookupError turns a failed look-up into one diagnostic on attr; byName
// says whether the zone was looked up by its own name or by a name inside it.
// The cfapi errors end with advice for cloudflaredns_record (set zone_id), which
// a data source may not have, so the detail is worded here from their fields.
func zoneLookupError(attr path.Path, err error, byName bool) diag.Diagnostic {
	what := attr.String()
	var none *cfapi.NoZoneError
	var ambiguous *cfapi.AmbiguousZoneError
	switch {
	case errors.As(err, &none):
		seen := "The credentials see no zones."
		if len(none.Zones) > 0 {
			seen = "The credentials see: " + strings.Join(none.Zones, ", ") + "."
		}
		verb := "contains"
		if byName {
			verb = "is named"
		}
		return diag.NewAttributeErrorDiagnostic(attr, "No zone found",
			fmt.Sprintf("No zone %s %q. %s Check %s, the API token's Zone:Zone:Read permission on the zone, and account_id in the provider block, which limits the zones searched.", verb, none.Name, seen, what))
	case errors.As(err, &ambiguous):
		var parts []string
		for _, z := range ambiguous.Candidates {
			parts = append(parts, fmt.Sprintf("%s (id %s, status %s, account %s)", z.Name, z.ID, z.Status, z.AccountID))
		}
		return diag.NewAttributeErrorDiagnostic(attr, "Several zones match",
			fmt.Sprintf("Several zones match %q equally: %s. Set account_id in the provider block to search one account, or give the zone by its ID.", ambiguous.Name, strings.Join(parts, "; ")))
	default:
		return diag.NewAttributeErrorDiagnostic(attr, "Could not list zones", zoneListError(err))
	}
}

func zoneListError(err error) string {
	if cfapi.IsPermissionDenied(err) {
		return fmt.Sprintf("The credentials may not list zones (%s). The API token needs Zone:Zone:Read.", err)
	}
	return fmt.Sprintf("Listing the zones the credentials see failed: %s", err)
}

// sameZoneName compares Cloudflare's zone name with a name already in
// dnsvalue.Hostname form.
func sameZoneName(zoneName, want string) bool {
	if h, err := dnsvalue.Hostname(zoneName); err == nil {
		return h == want
	}
	return strings.EqualFold(zoneName, want)
}

func zoneNames(zones []cfapi.Zone) []string {
	names := make([]string, 0, len(zones))
	for _, z := range zones {
		names = append(names, z.Name)
	}
	sort.Strings(names)
	return names
}

// notConfigured is the error of a data source read while the provider has no
// client: its settings were unknown at plan time.
func notConfigured(typeName string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider not configured",
		"The cloudflaredns provider has no credentials yet, so "+typeName+" cannot be read. This happens when a provider setting is only known after apply; set it from a value known at plan time.")
}

// nonNil makes an absent list an empty one, so that the attribute is [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
