package deploy

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/opencontainers/go-digest"
)

// offlineImages answers BuildKit's base-image lookups without a registry: every base image is
// a linux/amd64 image with an empty config.
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, "", []byte(`{"architecture":"amd64","os":"linux","config":{}}`), nil
}

// BuildKit's own Dockerfile checks, as `docker build --check` runs them: every rule, offline.
func TestDockerfileLint(t *testing.T) {
	dt := readFile(t, "docker", "Dockerfile")
	source := llb.NewSourceMap(nil, "docker/Dockerfile", "Dockerfile", dt)
	source.Definition = &llb.Definition{} // where the warnings point: only the text is needed
	res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		MetaResolver: offlineImages{},
		SourceMap:    source,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != nil {
		t.Fatalf("docker/Dockerfile does not convert: %s", res.Error.Message)
	}
	for _, w := range res.Warnings {
		t.Errorf("%s: %s (%s)", w.RuleName, w.Detail, w.URL)
	}
}

func parseDockerfile(t *testing.T) []instructions.Stage {
	t.Helper()
	ast, err := parser.Parse(bytes.NewReader(readFile(t, "docker", "Dockerfile")))
	if err != nil {
		t.Fatal(err)
	}
	stages, _, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		t.Fatal(err)
	}
	return stages
}

// The image is built as the issue asks (Rust lib -> ocb build -> slim runtime) with the
// Makefile's targets, and runs like the otelcol-contrib image.
func TestDockerfileShape(t *testing.T) {
	stages := parseDockerfile(t)
	if len(stages) != 3 {
		t.Fatalf("%d stages, want 3 (Rust lib, collector build, runtime)", len(stages))
	}

	runs := func(st instructions.Stage) string {
		var b strings.Builder
		for _, c := range st.Commands {
			if r, ok := c.(*instructions.RunCommand); ok {
				b.WriteString(strings.Join(r.CmdLine, " "))
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	if !strings.Contains(runs(stages[0]), "make rust-lib") {
		t.Errorf("stage %q does not run `make rust-lib`", stages[0].Name)
	}
	if !strings.Contains(runs(stages[1]), "make build") {
		t.Errorf("stage %q does not run `make build`", stages[1].Name)
	}

	final := stages[2]
	var user, workdir string
	var entrypoint, cmd []string
	var exposed []string
	var healthcheck *instructions.HealthCheckCommand
	configCopied, entrypointCopied, configsCopied := false, false, false
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.WorkdirCommand:
			workdir = c.Path
		case *instructions.EntrypointCommand:
			entrypoint = c.CmdLine
		case *instructions.CmdCommand:
			cmd = c.CmdLine
		case *instructions.ExposeCommand:
			exposed = append(exposed, c.Ports...)
		case *instructions.HealthCheckCommand:
			healthcheck = c
		case *instructions.CopyCommand:
			configCopied = configCopied || c.DestPath == "/etc/otelcol-contrib/config.yaml"
			entrypointCopied = entrypointCopied || c.DestPath == "/usr/local/bin/otelcol-llm-entrypoint"
			configsCopied = configsCopied || c.DestPath == "/etc/otelcol-llm/configs/"
		}
	}
	if user == "" || user == "root" || strings.HasPrefix(user, "0") {
		t.Errorf("runtime USER = %q, want a non-root uid", user)
	}
	if workdir != "/var/lib/otelcol" {
		t.Errorf("WORKDIR = %q, want /var/lib/otelcol (./data of the configs lands in its volume)", workdir)
	}
	// the entrypoint execs /otelcol-llm with the arguments given (tests/e2e/entrypoint_test.go)
	if !slices.Equal(entrypoint, []string{"/usr/local/bin/otelcol-llm-entrypoint"}) {
		t.Errorf("ENTRYPOINT = %v, want [/usr/local/bin/otelcol-llm-entrypoint] (exec form)", entrypoint)
	}
	if !entrypointCopied || !configsCopied {
		t.Errorf("docker/entrypoint.sh copied: %v, configs/ copied to /etc/otelcol-llm/configs/: %v", entrypointCopied, configsCopied)
	}
	if !slices.Equal(cmd, []string{"--config", "/etc/otelcol-contrib/config.yaml"}) {
		t.Errorf("CMD = %v, want the otelcol-contrib config path", cmd)
	}
	if !configCopied {
		t.Error("no default config at /etc/otelcol-contrib/config.yaml")
	}
	for _, p := range []string{"4317", "4318", "13133", "8888"} {
		if !slices.Contains(exposed, p) {
			t.Errorf("port %s not exposed (got %v)", p, exposed)
		}
	}
	if healthcheck == nil || !strings.Contains(strings.Join(healthcheck.Health.Test, " "), "13133") {
		t.Errorf("no HEALTHCHECK on the health_check extension's port: %+v", healthcheck)
	}
}
