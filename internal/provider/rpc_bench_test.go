package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// BenchmarkNoChangePlanCalls measures the provider's own cost of one record in
// a no-change plan: the three calls Terraform makes per resource instance
// (UpgradeResourceState, ReadResource, PlanResourceChange), straight on the
// protocol server, against the emulator, with the zone listing already read.
// At thousands of records this per-record cost is the provider's share of a
// plan's time (make bench shows Terraform's own share next to it).
//
//	go test -run '^$' -bench NoChangePlanCalls -benchmem ./internal/provider
func BenchmarkNoChangePlanCalls(b *testing.B) {
	ctx := context.Background()
	const records = 1000
	rig := newRPCRig(b, records)
	before := rig.emu.Total()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rig.noChangePlan(ctx, b, i%records)
	}
	b.StopTimer()
	// The listing was read before timing: a record costs no request.
	b.ReportMetric(float64(rig.emu.Total()-before)/float64(b.N), "requests/op")
}

var benchComment = "bench"

// rpcRig is a configured provider server with records in state form.
type rpcRig struct {
	emu        *emulator.Server
	srv        tfprotov6.ProviderServer
	objectType tftypes.Object
	configs    []*tfprotov6.DynamicValue // configuration per record
	rawStates  [][]byte                  // prior state as JSON, as Terraform upgrades it
}

func newRPCRig(b *testing.B, records int) *rpcRig {
	b.Helper()
	ctx := context.Background()
	emu := emulator.New(emulator.Config{Tokens: []emulator.Token{{Value: testToken}}, Zones: []emulator.Zone{{Name: "example.com"}}})
	url, err := emu.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(emu.Close)
	zone, _ := emu.ZoneByName("example.com")

	srv := NewServer("bench")()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || diagError(schemas.Diagnostics) != nil {
		b.Fatalf("GetProviderSchema: %v %v", err, diagError(schemas.Diagnostics))
	}
	providerType := objectTypeOf(b, schemas.Provider)
	cfg := objectValue(providerType, map[string]tftypes.Value{
		"api_token": tftypes.NewValue(tftypes.String, testToken),
		"base_url":  tftypes.NewValue(tftypes.String, url),
		"rps":       tftypes.NewValue(tftypes.Number, 1e6),
	})
	configured, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.8.5", Config: dynamic(b, providerType, cfg)})
	if err != nil || diagError(configured.Diagnostics) != nil {
		b.Fatalf("ConfigureProvider: %v %v", err, diagError(configured.Diagnostics))
	}

	rig := &rpcRig{emu: emu, srv: srv, objectType: objectTypeOf(b, schemas.ResourceSchemas["cloudflaredns_record"])}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for i := range records {
		name := fmt.Sprintf("r%05d.example.com", i)
		content := fmt.Sprintf("198.18.%d.%d", i/250, i%250+1)
		rec, err := emu.CreateRecord(zone.ID, emulator.Record{Name: name, Type: "A", Content: content, TTL: 300, Comment: &benchComment})
		if err != nil {
			b.Fatal(err)
		}
		config := map[string]tftypes.Value{
			"name":    str(name),
			"content": str(content),
			"proxied": tftypes.NewValue(tftypes.Bool, false),
			"ttl":     tftypes.NewValue(tftypes.Number, 300),
			"comment": str("bench"),
		}
		// The prior state as Terraform stores it: JSON, with every
		// attribute present.
		state := map[string]any{
			"id": rec.ID, "zone_id": zone.ID, "zone_name": "example.com", "name": name, "fqdn": name,
			"type": "A", "content": content, "ttl": 300, "proxied": false, "comment": "bench",
			"tags": []string{}, "adopt_existing": true, "proxiable": true,
		}
		for attr := range rig.objectType.AttributeTypes {
			if _, ok := state[attr]; !ok {
				state[attr] = nil
			}
		}
		js, err := json.Marshal(state)
		if err != nil {
			b.Fatal(err)
		}
		rig.rawStates = append(rig.rawStates, js)
		rig.configs = append(rig.configs, dynamic(b, rig.objectType, objectValue(rig.objectType, config)))
	}
	// The zone listing is read once per process; read it before timing.
	rig.noChangePlan(ctx, b, 0)
	return rig
}

// noChangePlan makes Terraform's three calls of a no-change plan for record i.
func (r *rpcRig) noChangePlan(ctx context.Context, b *testing.B, i int) {
	const typeName = "cloudflaredns_record"
	up, err := r.srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, Version: 0, RawState: &tfprotov6.RawState{JSON: r.rawStates[i]}})
	if err != nil || diagError(up.Diagnostics) != nil {
		b.Fatalf("UpgradeResourceState: %v %v", err, diagError(up.Diagnostics))
	}
	read, err := r.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: up.UpgradedState})
	if err != nil || diagError(read.Diagnostics) != nil {
		b.Fatalf("ReadResource: %v %v", err, diagError(read.Diagnostics))
	}
	plan, err := r.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: read.NewState, ProposedNewState: read.NewState, Config: r.configs[i],
	})
	if err != nil || diagError(plan.Diagnostics) != nil {
		b.Fatalf("PlanResourceChange: %v %v", err, diagError(plan.Diagnostics))
	}
	if len(plan.RequiresReplace) > 0 || !bytes.Equal(plan.PlannedState.MsgPack, read.NewState.MsgPack) {
		b.Fatalf("record %d: the plan is not a no-change plan (replace: %v)", i, plan.RequiresReplace)
	}
}

func objectTypeOf(b *testing.B, s *tfprotov6.Schema) tftypes.Object {
	b.Helper()
	t, ok := s.ValueType().(tftypes.Object)
	if !ok {
		b.Fatalf("schema type %T is not an object", s.ValueType())
	}
	return t
}

// objectValue is an object of type t with the given attributes and every
// other attribute null.
func objectValue(t tftypes.Object, attrs map[string]tftypes.Value) tftypes.Value {
	all := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, at := range t.AttributeTypes {
		if v, ok := attrs[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(t, all)
}

func dynamic(b *testing.B, t tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	dv, err := tfprotov6.NewDynamicValue(t, v)
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

func diagError(diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}
