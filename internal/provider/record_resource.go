package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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

var (
	tagPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+:.*$`)
	singleLine = regexp.MustCompile(`^[^\r\n]*$`)
)

func (r *recordResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
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
				// Checked in ValidateConfig, which knows relative names and the zone.
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
				MarkdownDescription: "Target of the record, required for every type but CAA and SRV: an IPv4 address for A, an IPv6 address for AAAA (any spelling), a host name for CNAME, MX and NS (case and trailing dot do not matter), text of up to 2048 characters for TXT (kept exactly as written). For CAA and SRV, Cloudflare derives it from the `data` block.",
				Optional:            true,
				Computed:            true,
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
				MarkdownDescription: "Priority of an MX record (required for MX, 0 to 65535; lower is preferred). SRV records take theirs in `data`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 65535)},
			},
			"comment": schema.StringAttribute{
				MarkdownDescription: "Note about the record; no effect on DNS. An empty comment and no comment are the same.",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(singleLine, "must be a single line"),
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
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
			"data": schema.SingleNestedBlock{
				MarkdownDescription: "Fields of a CAA or SRV record, from which Cloudflare derives `content`. CAA: `flags`, `tag`, `value`. SRV: `priority`, `weight`, `port`, `target`.",
				Attributes: map[string]schema.Attribute{
					"flags":    schema.Int64Attribute{MarkdownDescription: "CAA flags, 0 to 255 (128: critical).", Optional: true, Validators: []validator.Int64{int64validator.Between(0, 255)}},
					"tag":      schema.StringAttribute{MarkdownDescription: "CAA property: `issue`, `issuewild` or `iodef`.", Optional: true, Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(dnsvalue.CAATags...)}},
					"value":    schema.StringAttribute{MarkdownDescription: "CAA value, such as `letsencrypt.org`.", Optional: true, Validators: []validator.String{notBlank()}},
					"priority": schema.Int64Attribute{MarkdownDescription: "SRV priority, 0 to 65535.", Optional: true, Validators: []validator.Int64{int64validator.Between(0, 65535)}},
					"weight":   schema.Int64Attribute{MarkdownDescription: "SRV weight, 0 to 65535.", Optional: true, Validators: []validator.Int64{int64validator.Between(0, 65535)}},
					"port":     schema.Int64Attribute{MarkdownDescription: "SRV port, 0 to 65535.", Optional: true, Validators: []validator.Int64{int64validator.Between(0, 65535)}},
					"target":   schema.StringAttribute{MarkdownDescription: "SRV target host name, or `.` for no service.", Optional: true},
				},
			},
		},
	}
}

func (r *recordResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
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
	if state == nil && r.data != nil {
		resp.Diagnostics.Append(r.checkNotHeld(plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	// Cloudflare derives the content of CAA and SRV records from data; it is
	// known at plan time only while data is unchanged.
	unchangedTarget := state != nil && plan.Type.Equal(state.Type)
	if dnsvalue.IsStructured(plan.Type.ValueString()) {
		if cfg.Content.IsNull() {
			unchangedTarget = unchangedTarget && sameData(plan.Type.ValueString(), plan.Data, state.Data)
			plan.Content = types.StringUnknown()
			if unchangedTarget {
				plan.Content = state.Content
			}
		} else {
			unchangedTarget = unchangedTarget && plan.Content.Equal(state.Content)
		}
	} else {
		unchangedTarget = unchangedTarget && !plan.Content.IsUnknown() &&
			dnsvalue.SameContent(plan.Type.ValueString(), plan.Content.ValueString(), state.Content.ValueString())
	}
	// proxiable only changes with what the record points at.
	plan.Proxiable = types.BoolUnknown()
	if unchangedTarget {
		plan.Proxiable = state.Proxiable
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkNotHeld fails the plan of a new resource whose record another resource
// of the state already manages: creating it would adopt that record (81058),
// and the two resources would then share it.
func (r *recordResource) checkNotHeld(plan recordModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if plan.FQDN.IsUnknown() || plan.Type.IsUnknown() || plan.Content.IsUnknown() || plan.Content.IsNull() {
		return diags
	}
	identity := identityOf(cfapi.Record{Name: plan.FQDN.ValueString(), Type: plan.Type.ValueString(), Content: plan.Content.ValueString()})
	if id, held := r.data.stateHolds(identity); held {
		diags.AddAttributeError(path.Root("content"), "Identical DNS record managed by another resource",
			fmt.Sprintf("Another resource of this configuration already manages the %s record %s with this content (record ID %s). Two resources cannot share one record: remove one of them, or, if you renamed the resource, use a moved block.", plan.Type.ValueString(), plan.FQDN.ValueString(), id))
	}
	return diags
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
			resp.Diagnostics.AddAttributeError(path.Root("zone_id"), zoneSummary(err), zoneError(cfg.ZoneID.ValueString(), err))
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

// errorHint says what to do about an error of operation op ("create",
// "read", "update" or "delete"): the permission a token lacks (10000, or 9109
// on a zone the token may not use), the time limit that ran out, or why
// running again is safe.
func errorHint(ctx context.Context, err error, op, zone, permission string) string {
	switch {
	case cfapi.IsPermissionDenied(err) || cfapi.HasCode(err, cfapi.CodeInvalidAccessToken):
		return fmt.Sprintf(" The API token may not do this in zone %s: it needs the %s permission on that zone (and Zone:Zone:Read to find it).", zone, permission)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Sprintf(" The %s took longer than its time limit (timeouts.%s, 20m unless set); raise it in a timeouts block if Cloudflare is slow.", op, op)
	case cfapi.IsUnreachable(err) && op == "create":
		return " Cloudflare could not be reached or did not answer in time; run the apply again: a record whose creation did go through is adopted, not duplicated."
	case cfapi.IsUnreachable(err):
		return " Cloudflare could not be reached or did not answer in time; the state is unchanged, so running again is safe."
	}
	return ""
}

func zoneSummary(err error) string {
	if cfapi.IsPermissionDenied(err) {
		return "Zone not accessible"
	}
	return "Zone not found"
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
	timeout, diags := plan.Timeouts.Create(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	want, diags := r.desired(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	creator := r.data.newCreator()
	created, err := r.data.client.CreateRecord(ctx, want)
	switch {
	case err == nil:
		if !r.data.claim(created.ID, creator) {
			// Another resource adopted this record between its creation and
			// now; it holds it, so this resource must not.
			resp.Diagnostics.AddError("Identical DNS record managed by another resource",
				fmt.Sprintf("The %s record %s (record ID %s) is managed by another resource of this configuration with the same name, type and content. Two resources cannot share one record: remove one of them.", want.Type, want.Name, created.ID))
			return
		}
	case cfapi.HasCode(err, cfapi.CodeIdenticalRecord, cfapi.CodeRecordExists):
		created, diags = r.adopt(ctx, want, plan.AdoptExisting.ValueBool(), creator, err, nil)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	case cfapi.HasCode(err, conflictCodes...):
		// Cloudflare checks CNAME conflicts before duplicates, so a CNAME
		// whose create answer was lost comes back as a conflict on retry. One
		// listing of the name tells that identical record, which is adopted,
		// from a real conflict, which it then names.
		atName, listErr := r.data.client.FindRecords(ctx, want.ZoneID, want.Name, "")
		if listErr != nil || identicalRecord(want, atName) == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Conflicting DNS record", conflictMessage(want, err, atName))
			return
		}
		created, diags = r.adopt(ctx, want, plan.AdoptExisting.ValueBool(), creator, err, atName)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	default:
		resp.Diagnostics.AddError("Could not create DNS record", fmt.Sprintf("Creating %s record %s in zone %s failed: %s.%s", want.Type, want.Name, plan.ZoneName.ValueString(), err, errorHint(ctx, err, "create", plan.ZoneName.ValueString(), "Zone:DNS:Edit")))
		return
	}
	state := merge(plan, created)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// conflictCodes are Cloudflare's answers to a record that another record at
// its name rules out.
var conflictCodes = []int{cfapi.CodeConflictAddressCNAME, cfapi.CodeConflictCNAME, cfapi.CodeConflictNS}

// identicalRecord is the record among recs that is identical to want (same
// type and target), other than want itself; nil when there is none.
func identicalRecord(want cfapi.Record, recs []cfapi.Record) *cfapi.Record {
	for i := range recs {
		if recs[i].ID != want.ID && strings.EqualFold(recs[i].Type, want.Type) && sameTarget(want, recs[i]) {
			return &recs[i]
		}
	}
	return nil
}

// sameTarget reports whether two records of one name and type are identical in
// Cloudflare's sense: the same content (or data, for CAA and SRV).
func sameTarget(want, have cfapi.Record) bool {
	if dnsvalue.IsStructured(want.Type) {
		return sameData(want.Type, dataFromAPI(want.Type, want.Data), dataFromAPI(have.Type, have.Data))
	}
	return dnsvalue.SameContent(want.Type, have.Content, want.Content)
}

// adopt takes over the identical record Cloudflare says exists (81058), and
// brings its other fields in line with the configuration. candidates are the
// records at the name when the caller has already listed them; nil lists them.
func (r *recordResource) adopt(ctx context.Context, want cfapi.Record, allowed bool, creator string, createErr error, candidates []cfapi.Record) (cfapi.Record, diag.Diagnostics) {
	var diags diag.Diagnostics
	if candidates == nil {
		var err error
		candidates, err = r.data.client.FindRecords(ctx, want.ZoneID, want.Name, want.Type)
		if err != nil {
			diags.AddError("Could not look up the existing record", fmt.Sprintf("Cloudflare says an identical %s record %s exists (%s), but listing it failed: %s", want.Type, want.Name, createErr, err))
			return cfapi.Record{}, diags
		}
	}
	existing := identicalRecord(want, candidates)
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
	if !r.data.claim(existing.ID, creator) {
		diags.AddError("Identical DNS record managed by another resource",
			fmt.Sprintf("The %s record %s (record ID %s) is managed by another resource of this configuration with the same name, type and content. Two resources cannot share one record: remove one of them.", want.Type, want.Name, existing.ID))
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

// conflictDetail names the records that block a write (81053, 81054, 81056,
// or 81058 on an update), listing the records at the name.
func (r *recordResource) conflictDetail(ctx context.Context, want cfapi.Record, err error) string {
	atName, _ := r.data.client.FindRecords(ctx, want.ZoneID, want.Name, "")
	return conflictMessage(want, err, atName)
}

// conflictMessage is Cloudflare's refusal with the records at the name that
// caused it (the record being written is not one of them).
func conflictMessage(want cfapi.Record, err error, atName []cfapi.Record) string {
	msg := fmt.Sprintf("Cloudflare refused the %s record %s: %s.", want.Type, want.Name, err)
	var parts []string
	var first string
	for _, o := range atName {
		if o.ID == want.ID {
			continue
		}
		if first == "" {
			first = o.ID
		}
		parts = append(parts, fmt.Sprintf("%s %s → %s (id %s)", o.Type, o.Name, o.Content, o.ID))
	}
	if len(parts) > 0 {
		msg += " Conflicting records: " + strings.Join(parts, "; ") + "."
		msg += fmt.Sprintf(" Import the conflicting record (terraform import <address> %s/%s) or remove it, then apply again.", want.ZoneID, first)
	}
	return msg
}

func (r *recordResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state recordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if r.data == nil {
		// The provider's settings are unknown until apply (they come from
		// another resource), so Cloudflare cannot be asked yet: keep the
		// state as it is rather than fail the plan.
		resp.Diagnostics.AddWarning("DNS record not checked",
			fmt.Sprintf("The cloudflaredns provider settings are not known until apply, so %s was not checked against Cloudflare in this plan.", nameForHumans(state)))
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
		resp.Diagnostics.AddError("Could not check DNS record", fmt.Sprintf("Reading record %s (%s) from Cloudflare failed: %s.%s", state.ID.ValueString(), nameForHumans(state), err, errorHint(ctx, err, "read", zoneForHumans(state), "Zone:DNS:Read")))
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
	r.data.heldInState(identityOf(rec), rec.ID)
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
	timeout, diags := plan.Timeouts.Update(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	want, diags := r.desired(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	want.ID = state.ID.ValueString()
	updated, err := r.data.client.UpdateRecord(ctx, want)
	if err != nil {
		if cfapi.HasCode(err, cfapi.CodeIdenticalRecord) || cfapi.HasCode(err, conflictCodes...) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Conflicting DNS record", r.conflictDetail(ctx, want, err))
			return
		}
		resp.Diagnostics.AddError("Could not update DNS record", fmt.Sprintf("Updating %s record %s (record ID %s) failed: %s.%s", want.Type, want.Name, want.ID, err, errorHint(ctx, err, "update", zoneForHumans(state), "Zone:DNS:Edit")))
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
	timeout, diags := state.Timeouts.Delete(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := r.data.client.DeleteRecord(ctx, state.ZoneID.ValueString(), state.ID.ValueString())
	if err != nil && !cfapi.IsNotFound(err) {
		// Returning an error keeps the resource in state: a record is never
		// orphaned on Cloudflare while Terraform forgets it.
		resp.Diagnostics.AddError("Could not delete DNS record",
			fmt.Sprintf("Deleting %s record %s (record ID %s) failed, so it stays in the state: %s.%s Run the destroy or apply again.", state.Type.ValueString(), nameForHumans(state), state.ID.ValueString(), err, errorHint(ctx, err, "delete", zoneForHumans(state), "Zone:DNS:Edit")))
	}
}

func (r *recordResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	if id.RecordID == "" {
		if r.data == nil {
			resp.Diagnostics.AddError("Provider not configured", "Importing by name needs the provider's credentials to look the record up.")
			return
		}
		id, err = r.findForImport(ctx, id)
		if err != nil {
			resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("zone_id"), id.ZoneID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.RecordID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("adopt_existing"), true)...)
}

// findForImport resolves <fqdn>/<type>[/<content>] to exactly one record.
func (r *recordResource) findForImport(ctx context.Context, id importID) (importID, error) {
	zone, err := r.data.client.ZoneFor(ctx, id.FQDN)
	if err != nil {
		return id, err
	}
	found, err := r.data.client.FindRecords(ctx, zone.ID, id.FQDN, id.Type)
	if err != nil {
		return id, fmt.Errorf("listing %s records named %s in zone %s failed: %s", id.Type, id.FQDN, zone.Name, err)
	}
	var matches []cfapi.Record
	for _, rec := range found {
		if id.Content == "" || dnsvalue.SameContent(id.Type, rec.Content, id.Content) {
			matches = append(matches, rec)
		}
	}
	switch {
	case len(matches) == 1:
		id.ZoneID, id.RecordID = zone.ID, matches[0].ID
		return id, nil
	case len(matches) == 0 && len(found) == 0:
		return id, fmt.Errorf("zone %s holds no %s record named %s", zone.Name, id.Type, id.FQDN)
	}
	var lines []string
	for _, rec := range found {
		lines = append(lines, fmt.Sprintf("  %s/%s/%s  (record ID %s; or import %s/%s)", rec.Name, rec.Type, rec.Content, rec.ID, zone.ID, rec.ID))
	}
	if len(matches) == 0 {
		return id, fmt.Errorf("no %s record named %s has content %q; the candidates are:\n%s", id.Type, id.FQDN, id.Content, strings.Join(lines, "\n"))
	}
	return id, fmt.Errorf("%d %s records are named %s; pick one with <fqdn>/<type>/<content>:\n%s", len(matches), id.Type, id.FQDN, strings.Join(lines, "\n"))
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
			diags.AddAttributeError(path.Root("zone_id"), zoneSummary(err), zoneError(plan.ZoneID.ValueString(), err))
			return cfapi.Record{}, diags
		}
		zoneName = zone.Name
	}
	fqdn, err := dnsvalue.FQDN(plan.Name.ValueString(), zoneName)
	if err != nil {
		diags.AddAttributeError(path.Root("name"), "Invalid record name", err.Error())
		return cfapi.Record{}, diags
	}
	var content string
	if !dnsvalue.IsStructured(plan.Type.ValueString()) {
		content, err = dnsvalue.Content(plan.Type.ValueString(), plan.Content.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("content"), "Invalid record content", err.Error())
			return cfapi.Record{}, diags
		}
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
	if dnsvalue.IsStructured(rec.Type) {
		data := plan.Data
		if data == nil {
			data = dataOfContent(rec.Type, plan.Content.ValueString())
		}
		rec.Data = dataToAPI(rec.Type, *data)
		if rec.Type == dnsvalue.TypeSRV {
			p := data.Priority.ValueInt64()
			rec.Priority = &p
		}
	}
	return rec, diags
}

// dataOfContent reads the data of a CAA or SRV record written as content
// (already validated).
func dataOfContent(typ, content string) *recordDataModel {
	if typ == dnsvalue.TypeCAA {
		flags, tag, value, _ := dnsvalue.ParseCAA(content)
		return &recordDataModel{Flags: types.Int64Value(flags), Tag: types.StringValue(tag), Value: types.StringValue(value)}
	}
	p, w, port, target, _ := dnsvalue.ParseSRV(content, nil)
	return &recordDataModel{Priority: types.Int64Value(p), Weight: types.Int64Value(w), Port: types.Int64Value(port), Target: types.StringValue(target)}
}

// dataToAPI is the data object Cloudflare expects for a CAA or SRV record.
func dataToAPI(typ string, d recordDataModel) map[string]any {
	if typ == dnsvalue.TypeCAA {
		return map[string]any{"flags": d.Flags.ValueInt64(), "tag": strings.ToLower(d.Tag.ValueString()), "value": d.Value.ValueString()}
	}
	target, err := dnsvalue.SRVTarget(d.Target.ValueString())
	if err != nil {
		target = d.Target.ValueString()
	}
	return map[string]any{"priority": d.Priority.ValueInt64(), "weight": d.Weight.ValueInt64(), "port": d.Port.ValueInt64(), "target": target}
}

// dataFromAPI reads Cloudflare's data object back into the data block.
func dataFromAPI(typ string, data map[string]any) *recordDataModel {
	num := func(key string) types.Int64 {
		switch v := data[key].(type) {
		case float64:
			return types.Int64Value(int64(v))
		case int64:
			return types.Int64Value(v)
		case int:
			return types.Int64Value(int64(v))
		}
		return types.Int64Null()
	}
	str := func(key string) types.String {
		if v, ok := data[key].(string); ok {
			return types.StringValue(v)
		}
		return types.StringNull()
	}
	d := &recordDataModel{
		Flags: types.Int64Null(), Tag: types.StringNull(), Value: types.StringNull(),
		Priority: types.Int64Null(), Weight: types.Int64Null(), Port: types.Int64Null(), Target: types.StringNull(),
	}
	switch typ {
	case dnsvalue.TypeCAA:
		d.Flags, d.Tag, d.Value = num("flags"), str("tag"), str("value")
	case dnsvalue.TypeSRV:
		d.Priority, d.Weight, d.Port, d.Target = num("priority"), num("weight"), num("port"), str("target")
	}
	return d
}

// sameData reports whether two data blocks describe the same record, the way
// Cloudflare compares them (CAA tags and SRV targets ignore case).
func sameData(typ string, a, b *recordDataModel) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if typ == dnsvalue.TypeCAA {
		return a.Flags.Equal(b.Flags) && strings.EqualFold(a.Tag.ValueString(), b.Tag.ValueString()) && a.Value.Equal(b.Value)
	}
	ta, errA := dnsvalue.SRVTarget(a.Target.ValueString())
	tb, errB := dnsvalue.SRVTarget(b.Target.ValueString())
	return a.Priority.Equal(b.Priority) && a.Weight.Equal(b.Weight) && a.Port.Equal(b.Port) && errA == nil && errB == nil && ta == tb
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
	if dnsvalue.IsStructured(rec.Type) {
		remoteContent := remoteStructuredContent(rec)
		contentSame := false
		if !prior.Content.IsNull() && !prior.Content.IsUnknown() {
			c, err := structuredContent(rec.Type, prior.Content.ValueString(), dataFromAPI(rec.Type, rec.Data))
			contentSame = err == nil && c == remoteContent
		}
		if !contentSame {
			next.Content = types.StringValue(rec.Content)
		}
		// A configuration that writes content without data keeps data empty
		// while the content matches.
		remote := dataFromAPI(rec.Type, rec.Data)
		if !(prior.Data == nil && contentSame) && !sameData(rec.Type, prior.Data, remote) {
			next.Data = remote
		}
	} else if prior.Content.IsNull() || prior.Content.IsUnknown() || !dnsvalue.SameContent(rec.Type, prior.Content.ValueString(), rec.Content) {
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

// identityOf is what makes two records identical for Cloudflare (81058):
// type, name and content in the form Cloudflare stores.
func identityOf(r cfapi.Record) string {
	content := r.Content
	if dnsvalue.IsStructured(r.Type) {
		content = remoteStructuredContent(r)
	} else if c, err := dnsvalue.Content(r.Type, r.Content); err == nil {
		content = c
	}
	return r.Type + " " + r.Name + " " + content
}

func zoneForHumans(m recordModel) string {
	if v := m.ZoneName.ValueString(); v != "" {
		return v + " (" + m.ZoneID.ValueString() + ")"
	}
	return m.ZoneID.ValueString()
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
	structured := typeKnown && dnsvalue.IsStructured(typ)
	switch {
	case structured:
		diags.Append(validateStructured(typ, m)...)
	case typeKnown && m.Data != nil:
		diags.AddAttributeError(path.Root("data"), "data on a record that has none", fmt.Sprintf("The data block applies only to CAA and SRV records; write the target of this %s record in content.", typ))
	case typeKnown && m.Content.IsNull():
		diags.AddAttributeError(path.Root("content"), "Missing content", fmt.Sprintf("A %s record needs content.", typ))
	case typeKnown && !m.Content.IsUnknown():
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
		hint := "remove it from this " + typ + " record"
		if typ == dnsvalue.TypeSRV {
			hint = "an SRV record takes its priority in the data block"
		}
		diags.AddAttributeError(path.Root("priority"), "Priority on a record that has none", fmt.Sprintf("priority applies only to MX records; %s.", hint))
	}
	if typeKnown && typ == dnsvalue.TypeCNAME && !m.Name.IsUnknown() && !m.Content.IsUnknown() {
		if fqdn, err := dnsvalue.FQDN(m.Name.ValueString(), ""); err == nil && dnsvalue.SameContent(typ, m.Content.ValueString(), fqdn) {
			diags.AddAttributeError(path.Root("content"), "CNAME points at itself", fmt.Sprintf("The CNAME %s cannot have itself as its target.", fqdn))
		}
	}
	return diags
}

// validateStructured checks a CAA or SRV record: a data block, or content, or
// both when they agree.
func validateStructured(typ string, m recordModel) diag.Diagnostics {
	var diags diag.Diagnostics
	contentKnown := !m.Content.IsNull() && !m.Content.IsUnknown()
	var fromContent string
	if contentKnown {
		c, err := structuredContent(typ, m.Content.ValueString(), m.Data)
		if err != nil {
			diags.AddAttributeError(path.Root("content"), "Invalid "+typ+" record content", err.Error())
			return diags
		}
		fromContent = c
	}
	if m.Data == nil {
		if m.Content.IsNull() {
			diags.AddAttributeError(path.Root("data"), "Missing data block", fmt.Sprintf("A %s record is described by a data block (%s), from which Cloudflare derives its content.", typ, dataFieldsOf(typ)))
		}
		return diags
	}
	diags.Append(validateData(typ, m.Data)...)
	if !diags.HasError() && contentKnown {
		if fromData, ok := contentOfData(typ, m.Data); ok && fromData != fromContent {
			diags.AddAttributeError(path.Root("content"), "content and data disagree",
				fmt.Sprintf("The data block describes %s, but content is %q; remove content (Cloudflare derives it from data) or make them agree.", fromData, m.Content.ValueString()))
		}
	}
	return diags
}

// structuredContent is the canonical content of a CAA or SRV record written as
// content. SRV content may leave out the priority, as Cloudflare writes it,
// when the data block gives it.
func structuredContent(typ, content string, data *recordDataModel) (string, error) {
	if typ == dnsvalue.TypeSRV && data != nil && !data.Priority.IsNull() && !data.Priority.IsUnknown() {
		priority := data.Priority.ValueInt64()
		p, w, port, target, err := dnsvalue.ParseSRV(content, &priority)
		if err != nil {
			return "", err
		}
		return dnsvalue.SRVContent(p, w, port, target), nil
	}
	return dnsvalue.Content(typ, content)
}

// contentOfData is the canonical content a data block describes, when all of
// its fields are known.
func contentOfData(typ string, d *recordDataModel) (string, bool) {
	if d == nil {
		return "", false
	}
	if typ == dnsvalue.TypeCAA {
		if d.Flags.IsUnknown() || d.Tag.IsUnknown() || d.Value.IsUnknown() {
			return "", false
		}
		return dnsvalue.CAAContent(d.Flags.ValueInt64(), d.Tag.ValueString(), d.Value.ValueString()), true
	}
	if d.Priority.IsUnknown() || d.Weight.IsUnknown() || d.Port.IsUnknown() || d.Target.IsUnknown() {
		return "", false
	}
	target, err := dnsvalue.SRVTarget(d.Target.ValueString())
	if err != nil {
		return "", false
	}
	return dnsvalue.SRVContent(d.Priority.ValueInt64(), d.Weight.ValueInt64(), d.Port.ValueInt64(), target), true
}

// remoteStructuredContent is the canonical content of a CAA or SRV record as
// Cloudflare returned it (SRV content there leaves the priority out).
func remoteStructuredContent(rec cfapi.Record) string {
	if rec.Type == dnsvalue.TypeSRV {
		p, w, port, target, err := dnsvalue.ParseSRV(rec.Content, rec.Priority)
		if err != nil {
			return rec.Content
		}
		return dnsvalue.SRVContent(p, w, port, target)
	}
	c, err := dnsvalue.Content(rec.Type, rec.Content)
	if err != nil {
		return rec.Content
	}
	return c
}

// validateData checks the data block of a CAA or SRV record.
func validateData(typ string, d *recordDataModel) diag.Diagnostics {
	var diags diag.Diagnostics
	type field struct {
		name string
		set  bool
	}
	var need, forbid []field
	caa := []field{{"flags", !d.Flags.IsNull()}, {"tag", !d.Tag.IsNull()}, {"value", !d.Value.IsNull()}}
	srv := []field{{"priority", !d.Priority.IsNull()}, {"weight", !d.Weight.IsNull()}, {"port", !d.Port.IsNull()}, {"target", !d.Target.IsNull()}}
	if typ == dnsvalue.TypeCAA {
		need, forbid = caa, srv
	} else {
		need, forbid = srv, caa
	}
	for _, f := range need {
		if !f.set {
			diags.AddAttributeError(path.Root("data").AtName(f.name), "Missing "+f.name, fmt.Sprintf("A %s record's data block needs %s.", typ, dataFieldsOf(typ)))
		}
	}
	for _, f := range forbid {
		if f.set {
			diags.AddAttributeError(path.Root("data").AtName(f.name), f.name+" does not apply to "+typ, fmt.Sprintf("A %s record's data block takes only %s.", typ, dataFieldsOf(typ)))
		}
	}
	if typ == dnsvalue.TypeSRV && !d.Target.IsNull() && !d.Target.IsUnknown() {
		if _, err := dnsvalue.SRVTarget(d.Target.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("data").AtName("target"), "Invalid SRV target", err.Error())
		}
	}
	return diags
}

func dataFieldsOf(typ string) string {
	if typ == dnsvalue.TypeCAA {
		return "flags, tag and value"
	}
	return "priority, weight, port and target"
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
