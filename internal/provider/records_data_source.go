package provider

import (
	"context"
	"fmt"
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
	_ datasource.DataSource                     = &recordsDataSource{}
	_ datasource.DataSourceWithConfigure        = &recordsDataSource{}
	_ datasource.DataSourceWithConfigValidators = &recordsDataSource{}
)

// NewRecordsDataSource is the constructor of cloudflaredns_records.
func NewRecordsDataSource() datasource.DataSource {
	return &recordsDataSource{}
}

// recordsDataSource lists the DNS records of one zone, managed by Terraform or
// not. It reads the zone-wide listing that Check Status of cloudflaredns_record
// shares, and filters it here, so a plan that has both costs one listing.
type recordsDataSource struct {
	data *providerData
}

// recordsDataSourceModel is one cloudflaredns_records.
type recordsDataSourceModel struct {
	ZoneID   types.String        `tfsdk:"zone_id"`
	ZoneName types.String        `tfsdk:"zone_name"`
	Name     types.String        `tfsdk:"name"`
	Type     types.String        `tfsdk:"type"`
	Content  types.String        `tfsdk:"content"`
	Records  []listedRecordModel `tfsdk:"records"`
}

// listedRecordModel is one element of records: the attributes of
// cloudflaredns_record that Cloudflare holds.
type listedRecordModel struct {
	ID        types.String     `tfsdk:"id"`
	ZoneID    types.String     `tfsdk:"zone_id"`
	ZoneName  types.String     `tfsdk:"zone_name"`
	Name      types.String     `tfsdk:"name"`
	FQDN      types.String     `tfsdk:"fqdn"`
	Type      types.String     `tfsdk:"type"`
	Content   types.String     `tfsdk:"content"`
	TTL       types.Int64      `tfsdk:"ttl"`
	Proxied   types.Bool       `tfsdk:"proxied"`
	Proxiable types.Bool       `tfsdk:"proxiable"`
	Priority  types.Int64      `tfsdk:"priority"`
	Comment   types.String     `tfsdk:"comment"`
	Tags      types.Set        `tfsdk:"tags"`
	Data      *recordDataModel `tfsdk:"data"`
}

func (d *recordsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_records"
}

func (d *recordsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The DNS records of one zone, whether Terraform manages them or not, optionally filtered by `name`, `type` and `content`. The zone is read once per run and shared with `cloudflaredns_record`, so the data source adds no request to a plan that already checks records of the zone.",
		Attributes: map[string]schema.Attribute{
			"zone_id": schema.StringAttribute{
				MarkdownDescription: "ID of the zone. Set exactly one of `zone_id` and `zone_name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(hex32, "must be a Cloudflare zone ID: 32 lowercase hexadecimal characters")},
			},
			"zone_name": schema.StringAttribute{
				MarkdownDescription: "Name of the zone, such as `example.com`; matched exactly, ignoring case, a trailing dot and Unicode versus punycode. Set exactly one of `zone_id` and `zone_name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlank(), stringvalidator.LengthAtMost(254)},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Only records with this name: a full name (`app.example.com`), a name relative to the zone (`app`) or `@` for the apex. Case, a trailing dot and Unicode versus punycode do not matter.",
				Optional:            true,
				Validators:          []validator.String{notBlank(), stringvalidator.LengthAtMost(254)},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only records of this type, such as `A` or `TXT`; any type Cloudflare holds, in any case.",
				Optional:            true,
				Validators:          []validator.String{notBlank(), stringvalidator.LengthAtMost(16)},
			},
			"content": schema.StringAttribute{
				MarkdownDescription: "Only records with this content, ignoring case, as Cloudflare's own filter does. AAAA addresses match in any spelling, and CNAME, MX and NS targets with or without a trailing dot.",
				Optional:            true,
			},
			"records": schema.ListNestedAttribute{
				MarkdownDescription: "The matching records, sorted by name, type and content.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":        computed("Cloudflare's record ID."),
						"zone_id":   computed("ID of the zone."),
						"zone_name": computed("Name of the zone."),
						"name":      computed("Name of the record as Cloudflare stores it (the same as `fqdn`)."),
						"fqdn":      computed("Fully qualified name as Cloudflare stores it: lowercase, punycode, without a trailing dot."),
						"type":      computed("Record type."),
						"content":   computed("Content as Cloudflare stores it."),
						"ttl": schema.Int64Attribute{
							MarkdownDescription: "Time to live in seconds; `1` means automatic.",
							Computed:            true,
						},
						"proxied": schema.BoolAttribute{
							MarkdownDescription: "Whether Cloudflare proxies the traffic.",
							Computed:            true,
						},
						"proxiable": schema.BoolAttribute{
							MarkdownDescription: "Whether Cloudflare can proxy this record.",
							Computed:            true,
						},
						"priority": schema.Int64Attribute{
							MarkdownDescription: "Priority, for the types that have one (MX, SRV); null otherwise.",
							Computed:            true,
						},
						"comment": computed("Comment; null when the record has none."),
						"tags": schema.SetAttribute{
							MarkdownDescription: "Tags in the form `name:value`; an empty set when the record has none.",
							Computed:            true,
							ElementType:         types.StringType,
						},
						"data": schema.SingleNestedAttribute{
							MarkdownDescription: "Fields of a CAA or SRV record, as in the `data` block of `cloudflaredns_record` (CAA: `flags`, `tag`, `value`; SRV: `priority`, `weight`, `port`, `target`; the others null); null for the other types.",
							Computed:            true,
							Attributes: map[string]schema.Attribute{
								"flags":    schema.Int64Attribute{MarkdownDescription: "CAA flags (128: critical).", Computed: true},
								"tag":      schema.StringAttribute{MarkdownDescription: "CAA property: `issue`, `issuewild` or `iodef`.", Computed: true},
								"value":    schema.StringAttribute{MarkdownDescription: "CAA value, such as `letsencrypt.org`.", Computed: true},
								"priority": schema.Int64Attribute{MarkdownDescription: "SRV priority.", Computed: true},
								"weight":   schema.Int64Attribute{MarkdownDescription: "SRV weight.", Computed: true},
								"port":     schema.Int64Attribute{MarkdownDescription: "SRV port.", Computed: true},
								"target":   schema.StringAttribute{MarkdownDescription: "SRV target host name, or `.` for no service.", Computed: true},
							},
						},
					},
				},
			},
		},
	}
}

func (d *recordsDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("zone_id"), path.MatchRoot("zone_name")),
	}
}

func (d *recordsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *recordsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg recordsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.Append(notConfigured("cloudflaredns_records"))
		return
	}
	client := d.data.client

	var zone cfapi.Zone
	if !cfg.ZoneName.IsNull() {
		var diags diag.Diagnostics
		zone, diags = zoneByName(ctx, client, path.Root("zone_name"), cfg.ZoneName.ValueString())
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	} else {
		var err error
		zone, err = client.Zone(ctx, cfg.ZoneID.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("zone_id"), "Zone not found", zoneError(cfg.ZoneID.ValueString(), err))
			return
		}
	}

	filter, diags := newRecordFilter(cfg, zone.Name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// ZoneRecords, not a filtered API listing: the zone-wide listing is shared
	// with every cloudflaredns_record of the zone in this process, so the
	// filters cost no request of their own.
	all, err := client.ZoneRecords(ctx, zone.ID)
	if err != nil {
		resp.Diagnostics.AddError("Could not list DNS records", fmt.Sprintf("Listing the records of zone %s (%s) failed: %s", zone.Name, zone.ID, err))
		return
	}

	state := cfg
	state.ZoneID = types.StringValue(zone.ID)
	if cfg.ZoneName.IsNull() {
		state.ZoneName = types.StringValue(zone.Name)
	}
	state.Records = []listedRecordModel{}
	for _, rec := range all {
		if !filter.matches(rec) {
			continue
		}
		listed, diags := listedRecord(ctx, rec, zone.Name)
		resp.Diagnostics.Append(diags...)
		state.Records = append(state.Records, listed)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// recordFilter holds the filters of cloudflaredns_records in the form Cloudflare
// stores names and types; an empty field matches every record.
type recordFilter struct {
	fqdn    string
	typ     string
	content string
	hasText bool // content was given; "" is not a wildcard then
}

func newRecordFilter(cfg recordsDataSourceModel, zoneName string) (recordFilter, diag.Diagnostics) {
	var f recordFilter
	var diags diag.Diagnostics
	if !cfg.Name.IsNull() {
		fqdn, err := dnsvalue.FQDN(cfg.Name.ValueString(), zoneName)
		if err != nil {
			diags.AddAttributeError(path.Root("name"), "Invalid name filter", err.Error())
		}
		f.fqdn = fqdn
	}
	if !cfg.Type.IsNull() {
		f.typ = strings.ToUpper(strings.TrimSpace(cfg.Type.ValueString()))
	}
	if !cfg.Content.IsNull() {
		f.content, f.hasText = cfg.Content.ValueString(), true
	}
	return f, diags
}

func (f recordFilter) matches(rec cfapi.Record) bool {
	if f.fqdn != "" && !strings.EqualFold(rec.Name, f.fqdn) {
		return false
	}
	if f.typ != "" && !strings.EqualFold(rec.Type, f.typ) {
		return false
	}
	if f.hasText && !sameListedContent(rec.Type, rec.Content, f.content) {
		return false
	}
	return true
}

// sameListedContent compares a record's content with the content filter:
// exactly but ignoring case, as Cloudflare's content filter does, and for the
// types whose content has several spellings, in the form Cloudflare stores.
func sameListedContent(typ, have, want string) bool {
	if strings.EqualFold(have, want) {
		return true
	}
	switch typ {
	case dnsvalue.TypeAAAA, dnsvalue.TypeCNAME, dnsvalue.TypeMX, dnsvalue.TypeNS:
		return dnsvalue.SameContent(typ, have, want)
	}
	return false
}

// listedRecord is a record as an element of records.
func listedRecord(ctx context.Context, rec cfapi.Record, zoneName string) (listedRecordModel, diag.Diagnostics) {
	tags, diags := types.SetValueFrom(ctx, types.StringType, nonNil(rec.Tags))
	out := listedRecordModel{
		ID:        types.StringValue(rec.ID),
		ZoneID:    types.StringValue(rec.ZoneID),
		ZoneName:  types.StringValue(zoneName),
		Name:      types.StringValue(rec.Name),
		FQDN:      types.StringValue(rec.Name),
		Type:      types.StringValue(rec.Type),
		Content:   types.StringValue(rec.Content),
		TTL:       types.Int64Value(rec.TTL),
		Proxied:   types.BoolValue(rec.Proxied),
		Proxiable: types.BoolValue(rec.Proxiable),
		Priority:  types.Int64PointerValue(rec.Priority),
		Comment:   types.StringNull(),
		Tags:      tags,
	}
	if rec.Comment != "" {
		out.Comment = types.StringValue(rec.Comment)
	}
	if dnsvalue.IsStructured(rec.Type) {
		out.Data = dataFromAPI(rec.Type, rec.Data)
	}
	return out, diags
}
