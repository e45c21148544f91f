package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer returns the provider's protocol 6 server: the framework's, with
// each per-resource call given a context that lets go of the request's
// loggers once the call returns.
//
// Why: terraform-plugin-framework (v1.19) keeps the cancel function of every
// request's context until the provider is stopped, and with it the context's
// values, which include per-request loggers of about 100 KB. Terraform calls
// a provider several times per resource, so a plan over 5,000 records kept
// over 500 MiB alive. With the values released after each call, the retained
// part is a few words per call.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return releasingServer{providerserver.NewProtocol6(New(version)())()}
	}
}

// releasingServer passes per-resource calls a releasableContext and releases
// it when the call returns.
type releasingServer struct {
	tfprotov6.ProviderServer
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	rctx := newReleasableContext(ctx)
	defer rctx.release()
	return s.ProviderServer.ValidateResourceConfig(rctx, req)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	rctx := newReleasableContext(ctx)
	defer rctx.release()
	return s.ProviderServer.UpgradeResourceState(rctx, req)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	rctx := newReleasableContext(ctx)
	defer rctx.release()
	return s.ProviderServer.ReadResource(rctx, req)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	rctx := newReleasableContext(ctx)
	defer rctx.release()
	return s.ProviderServer.PlanResourceChange(rctx, req)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	rctx := newReleasableContext(ctx)
	defer rctx.release()
	return s.ProviderServer.ApplyResourceChange(rctx, req)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	rctx := newReleasableContext(ctx)
	defer rctx.release()
	return s.ProviderServer.ReadDataSource(rctx, req)
}

// releasableContext is a context whose parent can be dropped: until release it
// behaves exactly like its parent; after, it answers no values, so whatever
// still holds it no longer holds the parent's.
type releasableContext struct {
	mu     sync.RWMutex
	parent context.Context
	done   <-chan struct{}
}

func newReleasableContext(parent context.Context) *releasableContext {
	return &releasableContext{parent: parent, done: parent.Done()}
}

func (c *releasableContext) release() {
	c.mu.Lock()
	c.parent = nil
	c.mu.Unlock()
}

func (c *releasableContext) current() context.Context {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.parent
}

func (c *releasableContext) Deadline() (time.Time, bool) {
	if p := c.current(); p != nil {
		return p.Deadline()
	}
	return time.Time{}, false
}

func (c *releasableContext) Done() <-chan struct{} { return c.done }

func (c *releasableContext) Err() error {
	if p := c.current(); p != nil {
		return p.Err()
	}
	return context.Canceled
}

func (c *releasableContext) Value(key any) any {
	if p := c.current(); p != nil {
		return p.Value(key)
	}
	return nil
}
