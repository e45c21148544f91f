// Package release checks the release configuration (.goreleaser.yml) against
// the layout the Terraform and OpenTofu registries expect. goreleaser is not
// among the test tools, so the test builds one platform's release the way the
// configuration describes and checks the names and contents of every file.
package release

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"text/template"
)

const (
	repoRoot    = "../.."
	projectName = "terraform-provider-cloudflaredns"
	// testVersion is what goreleaser's .Version would be for tag v0.0.0-test.
	testVersion = "0.0.0-test"
)

// goreleaserEntry is one "key: value" line, or one "- item" line (Key empty),
// of .goreleaser.yml, with the top-level section it is in.
type goreleaserEntry struct {
	Section, Key, Value string
}

// readGoreleaser reads .goreleaser.yml line by line. It is no YAML parser:
// it only knows sections, keys and list items, which is all the file uses, so
// the test needs no YAML library.
func readGoreleaser(t *testing.T) []goreleaserEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var entries []goreleaserEntry
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		item := strings.TrimPrefix(trimmed, "- ")
		key, value, isKey := strings.Cut(item, ":")
		if !isKey || strings.Contains(key, " ") || strings.HasPrefix(key, "{") {
			key, value = "", item
		}
		value = unquote(strings.TrimSpace(value))
		if line[0] != ' ' {
			section = key
		}
		entries = append(entries, goreleaserEntry{Section: section, Key: key, Value: value})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return entries
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// values returns the values of key (or of the list items, key "") in section.
func values(entries []goreleaserEntry, section, key string) []string {
	var out []string
	for _, e := range entries {
		if e.Section == section && e.Key == key {
			out = append(out, e.Value)
		}
	}
	return out
}

// one returns the only value of key in section that contains marker.
func one(t *testing.T, entries []goreleaserEntry, section, key, marker string) string {
	t.Helper()
	var found []string
	for _, v := range values(entries, section, key) {
		if strings.Contains(v, marker) {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		t.Fatalf(".goreleaser.yml: want one %s.%s containing %q, found %q", section, key, marker, found)
	}
	return found[0]
}

// render expands a goreleaser name template for one platform.
func render(t *testing.T, tmpl string) string {
	t.Helper()
	tpl, err := template.New("name").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	var b strings.Builder
	data := map[string]string{"ProjectName": projectName, "Version": testVersion, "Os": runtime.GOOS, "Arch": runtime.GOARCH}
	if err := tpl.Execute(&b, data); err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	return b.String()
}

// TestGoreleaserConfig checks the settings the registries and the provider
// depend on, beyond the names that TestRegistryRelease renders.
func TestGoreleaserConfig(t *testing.T) {
	cfg := readGoreleaser(t)
	want := []goreleaserEntry{
		{"version", "version", "2"},
		{"project_name", "project_name", projectName},
		{"builds", "", "CGO_ENABLED=0"},
		{"builds", "", "-trimpath"},
		{"builds", "", "-s -w -X main.version={{.Version}}"},
		{"builds", "binary", "{{ .ProjectName }}_v{{ .Version }}"},
		{"archives", "", "zip"},
		{"archives", "name_template", "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"},
		{"checksum", "name_template", "{{ .ProjectName }}_{{ .Version }}_SHA256SUMS"},
		{"checksum", "algorithm", "sha256"},
		{"checksum", "glob", "terraform-registry-manifest.json"},
		{"checksum", "name_template", "{{ .ProjectName }}_{{ .Version }}_manifest.json"},
		{"signs", "artifacts", "checksum"},
		{"signs", "", "--detach-sign"},
		{"signs", "", "{{ .Env.GPG_FINGERPRINT }}"},
		{"release", "glob", "terraform-registry-manifest.json"},
		{"release", "name_template", "{{ .ProjectName }}_{{ .Version }}_manifest.json"},
	}
	for _, w := range want {
		if !slices.Contains(values(cfg, w.Section, w.Key), w.Value) {
			t.Errorf(".goreleaser.yml: %s has no %s %q", w.Section, keyName(w.Key), w.Value)
		}
	}
	// The platforms Terraform users run on.
	for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
		if !slices.Contains(values(cfg, "builds", ""), goos) {
			t.Errorf(".goreleaser.yml: builds.goos lacks %s", goos)
		}
	}
	for _, goarch := range []string{"amd64", "arm64", "386", "arm"} {
		if !slices.Contains(values(cfg, "builds", ""), goarch) {
			t.Errorf(".goreleaser.yml: builds.goarch lacks %s", goarch)
		}
	}
}

func keyName(k string) string {
	if k == "" {
		return "list item"
	}
	return k
}

// TestRegistryRelease builds this platform's release files as goreleaser would
// from .goreleaser.yml, and checks them against the registry's layout.
func TestRegistryRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	cfg := readGoreleaser(t)
	binaryName := render(t, one(t, cfg, "builds", "binary", "ProjectName"))
	if runtime.GOOS == "windows" {
		binaryName += ".exe" // goreleaser adds it too
	}
	archiveName := render(t, one(t, cfg, "archives", "name_template", "ProjectName")) + ".zip"
	sumsName := render(t, one(t, cfg, "checksum", "name_template", "SHA256SUMS"))
	manifestName := render(t, one(t, cfg, "checksum", "name_template", "manifest"))

	// The names the registries look for (developer.hashicorp.com/terraform/registry/providers/publishing).
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for got, want := range map[string]string{
		binaryName:   "terraform-provider-cloudflaredns_v0.0.0-test" + map[bool]string{true: ".exe"}[runtime.GOOS == "windows"],
		archiveName:  "terraform-provider-cloudflaredns_0.0.0-test_" + platform + ".zip",
		sumsName:     "terraform-provider-cloudflaredns_0.0.0-test_SHA256SUMS",
		manifestName: "terraform-provider-cloudflaredns_0.0.0-test_manifest.json",
	} {
		if got != want {
			t.Errorf("goreleaser would name a file %q, the registry expects %q", got, want)
		}
	}

	dist := t.TempDir()
	binary := buildProvider(t, cfg, filepath.Join(t.TempDir(), binaryName))
	checkBuildInfo(t, binary)

	archive := filepath.Join(dist, archiveName)
	writeZip(t, archive, binaryName, binary)
	manifest, err := os.ReadFile(filepath.Join(repoRoot, "terraform-registry-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dist, manifestName), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	writeSums(t, filepath.Join(dist, sumsName), dist, archiveName, manifestName)

	t.Run("archive holds only the executable binary", func(t *testing.T) {
		zr, err := zip.OpenReader(archive)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		if len(zr.File) != 1 || zr.File[0].Name != binaryName {
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
			}
			t.Fatalf("%s holds %q, want only %q", archiveName, names, binaryName)
		}
		if mode := zr.File[0].Mode(); mode&0o111 == 0 {
			t.Errorf("%s in the archive has mode %v, want it executable", binaryName, mode)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		got, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(binary)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the archived binary differs from the built one")
		}
	})

	t.Run("manifest matches the plugin server", func(t *testing.T) {
		var m struct {
			Version  int `json:"version"`
			Metadata struct {
				ProtocolVersions []string `json:"protocol_versions"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(manifest, &m); err != nil {
			t.Fatalf("terraform-registry-manifest.json: %v", err)
		}
		if m.Version != 1 || !reflect.DeepEqual(m.Metadata.ProtocolVersions, []string{"6.0"}) {
			t.Errorf("manifest says version %d, protocols %q; want version 1, protocols [6.0]", m.Version, m.Metadata.ProtocolVersions)
		}
		mainGo, err := os.ReadFile(filepath.Join(repoRoot, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		// Either the framework's Serve with ProtocolVersion 6, or tf6server
		// (protocol 6) directly.
		if !regexp.MustCompile(`ProtocolVersion:\s*6,|tf6server\.Serve\(`).Match(mainGo) {
			t.Errorf("main.go does not serve protocol version 6, which the manifest announces")
		}
	})

	t.Run("SHA256SUMS covers the archive and the manifest", func(t *testing.T) {
		sums, err := os.ReadFile(filepath.Join(dist, sumsName))
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
			sum, name, ok := strings.Cut(line, "  ")
			if !ok {
				t.Fatalf("%s: line %q is not \"<sha256>  <file>\"", sumsName, line)
			}
			if got := sha256File(t, filepath.Join(dist, name)); got != sum {
				t.Errorf("%s: %s has sha256 %s, the file lists %s", sumsName, name, got, sum)
			}
			listed = append(listed, name)
		}
		if want := []string{archiveName, manifestName}; !reflect.DeepEqual(listed, want) {
			t.Errorf("%s lists %q, want %q", sumsName, listed, want)
		}
	})

	t.Run("Terraform and OpenTofu install the archive", func(t *testing.T) {
		clis := installedCLIs()
		if len(clis) == 0 {
			t.Skip("no Terraform or OpenTofu: set TF_ACC_TERRAFORM_PATH or run make tools")
		}
		for _, cli := range clis {
			t.Run(filepath.Base(cli), func(t *testing.T) { installFromMirror(t, cli, archive, archiveName) })
		}
	})
}

// buildProvider builds the provider with the flags and environment of
// .goreleaser.yml for this platform.
func buildProvider(t *testing.T, cfg []goreleaserEntry, out string) string {
	t.Helper()
	ldflags := render(t, one(t, cfg, "builds", "", "main.version"))
	args := []string{"build", "-o", out, "-ldflags", ldflags}
	var env []string
	for _, item := range values(cfg, "builds", "") {
		switch {
		case strings.HasPrefix(item, "-") && item != ldflags && !strings.Contains(item, "{{"):
			args = append(args, item) // flags such as -trimpath
		case strings.Contains(item, "=") && !strings.HasPrefix(item, "-"):
			env = append(env, item) // CGO_ENABLED=0
		}
	}
	args = append(args, ".")
	cmd := exec.Command("go", args...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}

// checkBuildInfo reads the settings Go recorded in the binary, which are the
// ones the release build used.
func checkBuildInfo(t *testing.T, binary string) {
	t.Helper()
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if info.Main.Path != "github.com/cloudflaredns/terraform-provider-cloudflaredns" {
		t.Errorf("the binary is built from %q", info.Main.Path)
	}
	// With -trimpath, Go leaves -ldflags out of the build information, so the
	// version is looked for in the binary: -X main.version puts it there as
	// string data, and nothing else in the binary spells it.
	content, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(content, []byte(testVersion)) {
		t.Errorf("the binary does not contain the version %s: -X main.version did not set it", testVersion)
	}
	if settings["CGO_ENABLED"] != "0" {
		t.Errorf("the binary was built with CGO_ENABLED=%q, want 0 (a static binary)", settings["CGO_ENABLED"])
	}
	if settings["-trimpath"] != "true" {
		t.Errorf("the binary was built without -trimpath, so it carries build paths")
	}
}

func writeZip(t *testing.T, archive, name, binary string) {
	t.Helper()
	content, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err == nil {
		_, err = w.Write(content)
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// writeSums writes "<sha256>  <name>" lines sorted by name, as goreleaser does.
func writeSums(t *testing.T, path, dir string, names ...string) {
	t.Helper()
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sha256File(t, filepath.Join(dir, n)), n)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// installedCLIs are the Terraform and OpenTofu binaries the acceptance tests use.
func installedCLIs() []string {
	var out []string
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		out = append(out, p)
	}
	for _, name := range []string{"terraform-1.8.5", "tofu-1.10.6"} {
		p, err := filepath.Abs(filepath.Join(repoRoot, ".tools", "bin", name))
		if err != nil {
			continue
		}
		if _, err := os.Stat(p); err == nil && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// installFromMirror puts the archive in a filesystem mirror, whose packed
// layout uses the registry's archive names, and lets the CLI install it and
// read the provider's schema from the binary inside.
func installFromMirror(t *testing.T, cli, archive, archiveName string) {
	t.Helper()
	mirror := t.TempDir()
	content, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	// Terraform resolves "cloudflaredns/cloudflaredns" on its registry,
	// OpenTofu on its own.
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "cloudflaredns", "cloudflaredns")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, archiveName), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	cliConfig := filepath.Join(work, "cli.tfrc")
	if err := os.WriteFile(cliConfig, fmt.Appendf(nil, "provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror), 0o644); err != nil {
		t.Fatal(err)
	}
	mainTF := fmt.Sprintf(`terraform {
  required_providers {
    cloudflaredns = {
      source  = "cloudflaredns/cloudflaredns"
      version = %q
    }
  }
}
`, testVersion)
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(mainTF), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(cli, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_PLUGIN_CACHE_DIR=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s%s", filepath.Base(cli), strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
		}
		return stdout.Bytes()
	}
	run("init", "-input=false", "-no-color")
	var schemas struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas   map[string]json.RawMessage `json:"resource_schemas"`
			DataSourceSchemas map[string]json.RawMessage `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(run("providers", "schema", "-json"), &schemas); err != nil {
		t.Fatal(err)
	}
	if len(schemas.ProviderSchemas) != 1 {
		t.Fatalf("want the schema of one provider, got %d", len(schemas.ProviderSchemas))
	}
	for addr, s := range schemas.ProviderSchemas {
		if !strings.HasSuffix(addr, "/cloudflaredns/cloudflaredns") {
			t.Errorf("the installed provider is %s", addr)
		}
		for _, name := range []string{"cloudflaredns_record"} {
			if _, ok := s.ResourceSchemas[name]; !ok {
				t.Errorf("the installed provider has no resource %s", name)
			}
		}
		for _, name := range []string{"cloudflaredns_zone", "cloudflaredns_records"} {
			if _, ok := s.DataSourceSchemas[name]; !ok {
				t.Errorf("the installed provider has no data source %s", name)
			}
		}
	}
}
