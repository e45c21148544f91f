package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/cfapi"
	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/dnsvalue"
)

var (
	_ resource.Resource                   = &recordResource{}
	_ resource.ResourceWithConfigure      = &recordResource{}
	_ resource.ResourceWithImportState    = &recordResource{}
	_ resource.ResourceWithModifyPlan     = &recordResource{}
	_ resource.ResourceWithValidateConfig = &recordResource{}
)

// NewRecordResource is the constructor of cloudflaredns_record.
func NewRecordResource() resource.Resource {
	return &recordResource{}
}

// recordResource manages one Cloudflare DNS record through the seed's lifecycle:
// Draft (planned) → Created (in state, on Cloudflare) → Deleted.
type recordResource struct {
	data *providerData
}

func (r *recordResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_record"
}

var tagPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+:.*$`)

func (r *recordResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Cloudflare DNS record. Create posts it, Read checks that it still exists and still matches (drift), Update replaces it with a PUT, Delete removes it and leaves state only once Cloudflare confirms. When an identical record already exists, it is adopted (see `adopt_existing`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Cloudflare's record ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"zone_id": schema.StringAttribute{
				MarkdownDescription: "ID of the zone. When omitted, the zone whose name is the longest suffix of `name` among the zones the credentials see (within `account_id` when set). Changing it replaces the record.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(hex32, "must be a Cloudflare zone ID: 32 lowercase hexadecimal characters")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"zone_name": schema.StringAttribute{
				MarkdownDescription: "Name of the zone.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the record, such as `app.example.com`. With `zone_id`, also relative (`app`) or `@` for the apex. Case, a trailing dot and Unicode versus punycode do not matter, and the state keeps your spelling.",
				Required:            true,
				Validators:          []validator.String{notBlank(), stringvalidator.LengthAtMost(254)},
			},
			"fqdn": schema.StringAttribute{
				MarkdownDescription: "Fully qualified name as Cloudflare stores it: lowercase, punycode, without a trailing dot.",
				Computed:            true,
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Record type: " + strings.Join(recordTypes, ", ") + ". Defaults to `A`. Changing it replaces the record.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(defaultRecordTyp),
				Validators:          []validator.String{stringvalidator.OneOf(recordTypes...)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"content": schema.StringAttribute{
				MarkdownDescription: "Target of the record: an IPv4 address for A, an IPv6 address for AAAA (any spelling), a host name for CNAME, MX and NS (case and trailing dot do not matter), text of up to 2048 characters for TXT.",
				Required:            true,
			},
			"ttl": schema.Int64Attribute{
				MarkdownDescription: "Time to live in seconds: `1` (automatic) or 30 to 86400. When unset: 3600, or 1 when the record is proxied. A proxied record's TTL is always automatic, so another explicit value with `proxied = true` is an error.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{ttlValidator{}},
			},
			"proxied": schema.BoolAttribute{
				MarkdownDescription: "Whether Cloudflare proxies the traffic. When unset: `true` for A, AAAA and CNAME, `false` for other types, which cannot be proxied.",
				Optional:            true,
				Computed:            true,
			},
			"priority": schema.Int64Attribute{
				MarkdownDescription: "Priority of an MX record (required for MX, 0 to 65535).",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 65535)},
			},
			"comment": schema.StringAttribute{
				MarkdownDescription: "Note about the record; no effect on DNS. An empty comment and no comment are the same.",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(regexp.MustCompile(`^[^\r\n]*$`), "must be a single line"),
					stringvalidator.LengthAtMost(500),
				},
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Tags in the form `name:value`. An empty set and no tags are the same.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators: []validator.Set{setvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(tagPattern, "must be name:value, with a name of letters, digits, _ and -"),
				)},
			},
			"adopt_existing": schema.BoolAttribute{
				MarkdownDescription: "When Cloudflare answers that an identical record (same name, type and content) already exists, adopt it instead of failing, and bring its other fields in line with the configuration. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"proxiable": schema.BoolAttribute{
				MarkdownDescription: "Whether Cloudflare can proxy this record.",
				Computed:            true,
			},
		},
	}
}

func (r *recordResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return
	}
	r.data = data
}

// ValidateConfig refuses at plan time every value that Cloudflare would refuse,
// naming the attribute.
func (r *recordResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg recordModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateRecord(cfg)...)
}

func (r *recordResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, cfg recordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *recordModel
	if !req.State.Raw.IsNull() {
		state = &recordModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	applyDefaults(&plan, cfg)
	if r.data != nil {
		r.planZone(ctx, &plan, cfg, state, resp)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if !plan.ZoneName.IsUnknown() && !plan.Name.IsUnknown() {
		fqdn, err := dnsvalue.FQDN(plan.Name.ValueString(), plan.ZoneName.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Invalid record name", err.Error())
			return
		}
		plan.FQDN = types.StringValue(fqdn)
		if plan.Type.ValueString() == dnsvalue.TypeCNAME && !plan.Content.IsUnknown() && dnsvalue.SameContent(dnsvalue.TypeCNAME, plan.Content.ValueString(), fqdn) {
			resp.Diagnostics.AddAttributeError(path.Root("content"), "CNAME points at itself", fmt.Sprintf("The CNAME %s cannot have itself as its target.", fqdn))
			return
		}
	} else {
		plan.FQDN = types.StringUnknown()
	}
	// proxiable only changes with what the record points at.
	plan.Proxiable = types.BoolUnknown()
	if state != nil && plan.Type.Equal(state.Type) && !plan.Content.IsUnknown() &&
		dnsvalue.SameContent(plan.Type.ValueString(), plan.Content.ValueString(), state.Content.ValueString()) {
		plan.Proxiable = state.Proxiable
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// applyDefaults fills proxied and ttl when the configuration leaves them out:
// proxied is true where the type can be proxied, and ttl is automatic (1) for
// proxied records and 3600 otherwise, which is what Cloudflare reads back, so
// the defaults never show a diff.
func applyDefaults(plan *recordModel, cfg recordModel) {
	if cfg.Proxied.IsNull() {
		if plan.Type.IsUnknown() {
			plan.Proxied = types.BoolUnknown()
		} else {
			plan.Proxied = types.BoolValue(dnsvalue.Proxiable(plan.Type.ValueString()))
		}
	}
	if cfg.TTL.IsNull() {
		switch {
		case plan.Proxied.IsUnknown():
			plan.TTL = types.Int64Unknown()
		case plan.Proxied.ValueBool():
			plan.TTL = types.Int64Value(ttlAutomatic)
		default:
			plan.TTL = types.Int64Value(ttlDefault)
		}
	}
}

// planZone resolves the zone at plan time, so that a name in no zone, or in
// several, fails the plan, and a move to another zone shows as a replacement.
func (r *recordResource) planZone(ctx context.Context, plan *recordModel, cfg recordModel, state *recordModel, resp *resource.ModifyPlanResponse) {
	client := r.data.client
	switch {
	case !cfg.ZoneID.IsNull() && !cfg.ZoneID.IsUnknown():
		zone, err := client.Zone(ctx, cfg.ZoneID.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("zone_id"), "Zone not found", zoneError(cfg.ZoneID.ValueString(), err))
			return
		}
		plan.ZoneName = types.StringValue(zone.Name)
	case cfg.ZoneID.IsNull() && !plan.Name.IsUnknown():
		fqdn, err := dnsvalue.FQDN(plan.Name.ValueString(), "")
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Invalid record name", err.Error())
			return
		}
		zone, err := client.ZoneFor(ctx, fqdn)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Cannot find the zone of "+fqdn, err.Error())
			return
		}
		plan.ZoneID = types.StringValue(zone.ID)
		plan.ZoneName = types.StringValue(zone.Name)
		if state != nil && state.ZoneID.ValueString() != zone.ID {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("zone_id"))
		}
	default:
		plan.ZoneID = types.StringUnknown()
		plan.ZoneName = types.StringUnknown()
	}
}

func zoneError(zoneID string, err error) string {
	if cfapi.IsPermissionDenied(err) {
		return fmt.Sprintf("The credentials may not read zone %s (%s). The API token needs Zone:Zone:Read and Zone:DNS:Edit on this zone.", zoneID, err)
	}
	return fmt.Sprintf("Cloudflare could not find zone %s, or the credentials cannot see it: %s", zoneID, err)
}

func (r *recordResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan recordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, diags := r.desired(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.data.client.CreateRecord(ctx, want)
	switch {
	case err == nil:
		if holder, ok := r.data.claim(created.ID, holderOf(want)); !ok {
			resp.Diagnostics.AddError("Record already managed", fmt.Sprintf("Cloudflare returned record %s, which %s already manages.", created.ID, holder))
			return
		}
	case cfapi.HasCode(err, cfapi.CodeIdenticalRecord, cfapi.CodeRecordExists):
		created, diags = r.adopt(ctx, want, plan.AdoptExisting.ValueBool(), err)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	case cfapi.HasCode(err, cfapi.CodeConflictAddressCNAME, cfapi.CodeConflictCNAME, cfapi.CodeConflictNS):
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Conflicting DNS record", r.conflictDetail(ctx, want, err))
		return
	default:
		resp.Diagnostics.AddError("Could not create DNS record", fmt.Sprintf("Creating %s record %s in zone %s failed: %s", want.Type, want.Name, plan.ZoneName.ValueString(), err))
		return
	}
	state := merge(plan, created)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// adopt takes over the identical record Cloudflare says exists (81058), and
// brings its other fields in line with the configuration.
func (r *recordResource) adopt(ctx context.Context, want cfapi.Record, allowed bool, createErr error) (cfapi.Record, diag.Diagnostics) {
	var diags diag.Diagnostics
	candidates, err := r.data.client.FindRecords(ctx, want.ZoneID, want.Name, want.Type)
	if err != nil {
		diags.AddError("Could not look up the existing record", fmt.Sprintf("Cloudflare says an identical %s record %s exists (%s), but listing it failed: %s", want.Type, want.Name, createErr, err))
		return cfapi.Record{}, diags
	}
	var existing *cfapi.Record
	for i := range candidates {
		if dnsvalue.SameContent(want.Type, candidates[i].Content, want.Content) {
			existing = &candidates[i]
			break
		}
	}
	if existing == nil {
		diags.AddError("Identical record not found", fmt.Sprintf("Cloudflare says an identical %s record %s with content %q exists (%s), but no such record is listed in zone %s. Run the apply again.", want.Type, want.Name, want.Content, createErr, want.ZoneID))
		return cfapi.Record{}, diags
	}
	if !allowed {
		diags.AddAttributeError(path.Root("adopt_existing"), "Identical DNS record already exists",
			fmt.Sprintf("A %s record %s with content %q already exists in zone %s (record ID %s), and adopt_existing is false. Import it with:\n  terraform import <resource address> %s/%s\nor set adopt_existing = true to adopt it, or remove it.",
				want.Type, want.Name, want.Content, want.ZoneID, existing.ID, want.ZoneID, existing.ID))
		return cfapi.Record{}, diags
	}
	if holder, ok := r.data.claim(existing.ID, holderOf(want)); !ok {
		diags.AddError("Identical DNS record managed by another resource",
			fmt.Sprintf("The %s record %s with content %q (record ID %s) is already managed by another resource of this configuration (%s). Two resources cannot share one record: remove one of them.", want.Type, want.Name, want.Content, existing.ID, holder))
		return cfapi.Record{}, diags
	}
	adopted := *existing
	if differs(adopted, want) {
		want.ID = adopted.ID
		updated, err := r.data.client.UpdateRecord(ctx, want)
		if err != nil {
			diags.AddError("Could not update the adopted record", fmt.Sprintf("Adopted existing %s record %s (record ID %s), but bringing its ttl, proxied, priority, comment and tags in line failed: %s", want.Type, want.Name, adopted.ID, err))
			return cfapi.Record{}, diags
		}
		adopted = updated
	}
	diags.AddWarning("Existing DNS record adopted",
		fmt.Sprintf("An identical %s record %s with content %q already existed in zone %s (Cloudflare code 81058). The resource now manages it (record ID %s) instead of creating a duplicate; destroying the resource deletes it. Set adopt_existing = false to fail instead.",
			want.Type, want.Name, want.Content, want.ZoneID, adopted.ID))
	return adopted, diags
}

// differs reports whether the fields a PUT would set differ from the record's.
func differs(have, want cfapi.Record) bool {
	if have.TTL != want.TTL || have.Proxied != want.Proxied || have.Comment != want.Comment {
		return true
	}
	if (have.Priority == nil) != (want.Priority == nil) || (have.Priority != nil && *have.Priority != *want.Priority) {
		return true
	}
	a, b := append([]string(nil), have.Tags...), append([]string(nil), want.Tags...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\n") != strings.Join(b, "\n")
}

// conflictDetail names the records that block a create (81053, 81054, 81056).
func (r *recordResource) conflictDetail(ctx context.Context, want cfapi.Record, err error) string {
	msg := fmt.Sprintf("Cloudflare refused the %s record %s: %s.", want.Type, want.Name, err)
	others, listErr := r.data.client.FindRecords(ctx, want.ZoneID, want.Name, "")
	if listErr == nil && len(others) > 0 {
		var parts []string
		for _, o := range others {
			parts = append(parts, fmt.Sprintf("%s %s → %s (id %s)", o.Type, o.Name, o.Content, o.ID))
		}
		msg += " Conflicting records: " + strings.Join(parts, "; ") + "."
		msg += fmt.Sprintf(" Import the conflicting record (terraform import <address> %s/%s) or remove it, then apply again.", want.ZoneID, others[0].ID)
	}
	return msg
}

func (r *recordResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state recordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The cloudflaredns provider has no credentials yet; the record cannot be checked.")
		return
	}
	rec, err := r.data.client.ReadRecord(ctx, state.ZoneID.ValueString(), state.ID.ValueString())
	if cfapi.IsNotFound(err) {
		resp.Diagnostics.AddWarning("DNS record deleted outside Terraform",
			fmt.Sprintf("The %s record %s (record ID %s, zone %s) no longer exists on Cloudflare. It is removed from the state, and the plan proposes to create it again.",
				state.Type.ValueString(), nameForHumans(state), state.ID.ValueString(), state.ZoneID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not check DNS record", fmt.Sprintf("Reading record %s (%s) from Cloudflare failed: %s", state.ID.ValueString(), nameForHumans(state), err))
		return
	}
	if state.ZoneName.IsNull() || state.ZoneName.IsUnknown() || state.ZoneName.ValueString() == "" {
		zone, err := r.data.client.Zone(ctx, rec.ZoneID)
		if err != nil {
			resp.Diagnostics.AddError("Could not read the record's zone", zoneError(rec.ZoneID, err))
			return
		}
		state.ZoneName = types.StringValue(zone.Name)
	}
	r.data.claim(rec.ID, holderOf(rec))
	next := merge(state, rec)
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

func (r *recordResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state recordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, diags := r.desired(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	want.ID = state.ID.ValueString()
	updated, err := r.data.client.UpdateRecord(ctx, want)
	if err != nil {
		if cfapi.HasCode(err, cfapi.CodeConflictAddressCNAME, cfapi.CodeConflictCNAME, cfapi.CodeConflictNS, cfapi.CodeIdenticalRecord) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Conflicting DNS record", r.conflictDetail(ctx, want, err))
			return
		}
		resp.Diagnostics.AddError("Could not update DNS record", fmt.Sprintf("Updating %s record %s (record ID %s) failed: %s", want.Type, want.Name, want.ID, err))
		return
	}
	next := merge(plan, updated)
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

func (r *recordResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state recordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.DeleteRecord(ctx, state.ZoneID.ValueString(), state.ID.ValueString())
	if err != nil && !cfapi.IsNotFound(err) {
		// Returning an error keeps the resource in state: a record is never
		// orphaned on Cloudflare while Terraform forgets it.
		resp.Diagnostics.AddError("Could not delete DNS record",
			fmt.Sprintf("Deleting %s record %s (record ID %s) failed, so it stays in the state: %s. Run the destroy or apply again.", state.Type.ValueString(), nameForHumans(state), state.ID.ValueString(), err))
	}
}

func (r *recordResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	zoneID, recordID, ok := strings.Cut(strings.TrimSpace(req.ID), "/")
	if !ok || !hex32.MatchString(zoneID) || !hex32.MatchString(recordID) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID %q must be <zone_id>/<record_id>, two 32-character lowercase hexadecimal Cloudflare IDs, for example 023e105f4ecef8ad9ca31a8372d0c353/372e67954025e0ba6aaa6d586b9e0b59.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("zone_id"), zoneID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), recordID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("adopt_existing"), true)...)
}

// desired is the record the plan asks for, in the form Cloudflare stores.
// Values that were unknown at plan time are validated here, with the same
// messages as at plan time.
func (r *recordResource) desired(ctx context.Context, plan recordModel) (cfapi.Record, diag.Diagnostics) {
	diags := validateRecord(plan)
	if diags.HasError() {
		return cfapi.Record{}, diags
	}
	zoneName := plan.ZoneName.ValueString()
	if zoneName == "" {
		zone, err := r.data.client.Zone(ctx, plan.ZoneID.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("zone_id"), "Zone not found", zoneError(plan.ZoneID.ValueString(), err))
			return cfapi.Record{}, diags
		}
		zoneName = zone.Name
	}
	fqdn, err := dnsvalue.FQDN(plan.Name.ValueString(), zoneName)
	if err != nil {
		diags.AddAttributeError(path.Root("name"), "Invalid record name", err.Error())
		return cfapi.Record{}, diags
	}
	content, err := dnsvalue.Content(plan.Type.ValueString(), plan.Content.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("content"), "Invalid record content", err.Error())
		return cfapi.Record{}, diags
	}
	rec := cfapi.Record{
		ZoneID:  plan.ZoneID.ValueString(),
		Name:    fqdn,
		Type:    plan.Type.ValueString(),
		Content: content,
		TTL:     plan.TTL.ValueInt64(),
		Proxied: plan.Proxied.ValueBool(),
		Comment: plan.Comment.ValueString(),
	}
	if !plan.Priority.IsNull() {
		p := plan.Priority.ValueInt64()
		rec.Priority = &p
	}
	if !plan.Tags.IsNull() {
		diags.Append(plan.Tags.ElementsAs(ctx, &rec.Tags, false)...)
	}
	return rec, diags
}

// merge is the state after Cloudflare answered: Cloudflare's values, except
// where the configuration spells the same value differently (name, content,
// empty tags or comment), so that no spelling ever shows a diff while every real
// difference does.
func merge(prior recordModel, rec cfapi.Record) recordModel {
	next := prior
	next.ID = types.StringValue(rec.ID)
	next.ZoneID = types.StringValue(rec.ZoneID)
	next.FQDN = types.StringValue(rec.Name)
	next.Type = types.StringValue(rec.Type)
	next.TTL = types.Int64Value(rec.TTL)
	next.Proxied = types.BoolValue(rec.Proxied)
	next.Proxiable = types.BoolValue(rec.Proxiable)
	if prior.AdoptExisting.IsNull() || prior.AdoptExisting.IsUnknown() {
		next.AdoptExisting = types.BoolValue(true)
	}
	zone := prior.ZoneName.ValueString()
	if prior.Name.IsNull() || prior.Name.IsUnknown() || !dnsvalue.SameName(prior.Name.ValueString(), rec.Name, zone) {
		next.Name = types.StringValue(rec.Name)
	}
	if prior.Content.IsNull() || prior.Content.IsUnknown() || !dnsvalue.SameContent(rec.Type, prior.Content.ValueString(), rec.Content) {
		next.Content = types.StringValue(rec.Content)
	}
	if rec.Priority != nil && rec.Type == dnsvalue.TypeMX {
		next.Priority = types.Int64Value(*rec.Priority)
	} else if rec.Type != dnsvalue.TypeMX {
		next.Priority = prior.Priority
		if next.Priority.IsUnknown() {
			next.Priority = types.Int64Null()
		}
	}
	if rec.Comment != "" || (!prior.Comment.IsNull() && !prior.Comment.IsUnknown()) {
		next.Comment = types.StringValue(rec.Comment)
	} else {
		next.Comment = types.StringNull()
	}
	next.Tags = mergeTags(prior.Tags, rec.Tags)
	return next
}

func mergeTags(prior types.Set, remote []string) types.Set {
	if len(remote) == 0 && (prior.IsNull() || prior.IsUnknown() || len(prior.Elements()) == 0) {
		if prior.IsUnknown() {
			return types.SetNull(types.StringType)
		}
		return prior
	}
	elems := make([]attr.Value, 0, len(remote))
	for _, t := range remote {
		elems = append(elems, types.StringValue(t))
	}
	return types.SetValueMust(types.StringType, elems)
}

// holderOf names a resource's record for messages about claims.
func holderOf(r cfapi.Record) string {
	return fmt.Sprintf("%s %s %s", r.Type, r.Name, r.Content)
}

func nameForHumans(m recordModel) string {
	if v := m.FQDN.ValueString(); v != "" {
		return v
	}
	return m.Name.ValueString()
}

// validateRecord checks the rules that span attributes, for values known now.
func validateRecord(m recordModel) diag.Diagnostics {
	var diags diag.Diagnostics
	typ := m.Type.ValueString()
	if m.Type.IsNull() {
		typ = defaultRecordTyp
	}
	typeKnown := !m.Type.IsUnknown()
	if typeKnown && !m.Content.IsUnknown() && !m.Content.IsNull() {
		if _, err := dnsvalue.Content(typ, m.Content.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("content"), "Invalid "+typ+" record content", err.Error())
		}
	}
	if !m.Name.IsUnknown() && !m.Name.IsNull() {
		_, err := dnsvalue.FQDN(m.Name.ValueString(), "")
		zoneGiven := !m.ZoneID.IsNull()
		switch {
		case err == dnsvalue.ErrRelativeName && zoneGiven:
		case err != nil:
			diags.AddAttributeError(path.Root("name"), "Invalid record name", err.Error())
		}
	}
	if m.Proxied.ValueBool() && typeKnown && !dnsvalue.Proxiable(typ) {
		diags.AddAttributeError(path.Root("proxied"), "Record type cannot be proxied",
			fmt.Sprintf("Cloudflare proxies only A, AAAA and CNAME records; remove proxied or set it to false for this %s record.", typ))
	}
	if m.Proxied.ValueBool() && !m.TTL.IsNull() && !m.TTL.IsUnknown() && m.TTL.ValueInt64() != ttlAutomatic {
		diags.AddAttributeError(path.Root("ttl"), "TTL of a proxied record",
			fmt.Sprintf("A proxied record's TTL is always automatic (1); remove ttl = %d or set proxied = false.", m.TTL.ValueInt64()))
	}
	if typeKnown && typ == dnsvalue.TypeMX && m.Priority.IsNull() {
		diags.AddAttributeError(path.Root("priority"), "MX record without priority", "An MX record needs priority (0 to 65535; lower is preferred).")
	}
	if typeKnown && typ != dnsvalue.TypeMX && !m.Priority.IsNull() && !m.Priority.IsUnknown() {
		diags.AddAttributeError(path.Root("priority"), "Priority on a record that has none", fmt.Sprintf("priority applies only to MX records; remove it from this %s record.", typ))
	}
	if typeKnown && typ == dnsvalue.TypeCNAME && !m.Name.IsUnknown() && !m.Content.IsUnknown() {
		if fqdn, err := dnsvalue.FQDN(m.Name.ValueString(), ""); err == nil && dnsvalue.SameContent(typ, m.Content.ValueString(), fqdn) {
			diags.AddAttributeError(path.Root("content"), "CNAME points at itself", fmt.Sprintf("The CNAME %s cannot have itself as its target.", fqdn))
		}
	}
	return diags
}

// ttlValidator allows 1 (automatic) or 30..86400.
type ttlValidator struct{}

func (ttlValidator) Description(context.Context) string {
	return "must be 1 (automatic) or between 30 and 86400"
}

func (v ttlValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v ttlValidator) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	ttl := req.ConfigValue.ValueInt64()
	if ttl != ttlAutomatic && (ttl < ttlMin || ttl > ttlMax) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid TTL", fmt.Sprintf("ttl = %d %s.", ttl, v.Description(ctx)))
	}
}
