package main

import (
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeFile is the part of docker-compose.yml the checks below read.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
		Secrets []string `yaml:"secrets"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
	Secrets map[string]struct {
		Environment string `yaml:"environment"`
		File        string `yaml:"file"`
	} `yaml:"secrets"`
}

// TestDockerCompose checks that docker-compose.yml wires the production shape: JetStream on
// with a volume, PostgreSQL, and Werkstatt pointed at both with settings it understands.
// No Docker engine runs here, so the file is checked by reading it.
func TestDockerCompose(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	nats, pg, app := c.Services["nats"], c.Services["postgres"], c.Services["werkstatt"]
	public := regexp.MustCompile(`^(nats|postgres):[0-9][0-9.]*(-alpine)?$`)
	for name, img := range map[string]string{"nats": nats.Image, "postgres": pg.Image} {
		if !public.MatchString(img) {
			t.Errorf("service %s: image %q is not a pinned official image", name, img)
		}
	}
	if !slices.Contains(nats.Command, "--jetstream") || !slices.Contains(nats.Command, "--store_dir") {
		t.Errorf("nats command %v: want JetStream on with a store dir", nats.Command)
	}
	checkVolumes(t, c, "nats", nats.Volumes)
	checkVolumes(t, c, "postgres", pg.Volumes)
	if app.Build == nil {
		t.Error("werkstatt: want build: . (its image is built from the Dockerfile)")
	}

	known := map[string]bool{"WERKSTATT_ADMIN_TOKEN": true, "WERKSTATT_MASTER_KEY": true}
	for _, o := range options {
		known[o.env] = true
	}
	for _, name := range secretEnvs {
		known[name+"_FILE"] = true
	}
	for k := range app.Environment {
		if !known[k] {
			t.Errorf("werkstatt: environment %s is not a setting werkstatt reads", k)
		}
	}
	natsURL, err := url.Parse(app.Environment["WERKSTATT_NATS_URL"])
	if err != nil || natsURL.Hostname() != "nats" || natsURL.Port() != "4222" {
		t.Errorf("WERKSTATT_NATS_URL = %q, want nats://nats:4222", app.Environment["WERKSTATT_NATS_URL"])
	}
	dbURL, err := url.Parse(app.Environment["WERKSTATT_DATABASE_URL"])
	if err != nil || dbURL.Hostname() != "postgres" || dbURL.User.Username() != pg.Environment["POSTGRES_USER"] ||
		strings.TrimPrefix(dbURL.Path, "/") != pg.Environment["POSTGRES_DB"] {
		t.Errorf("WERKSTATT_DATABASE_URL = %q does not match the postgres service", app.Environment["WERKSTATT_DATABASE_URL"])
	}
	if pw, _ := dbURL.User.Password(); pw != pg.Environment["POSTGRES_PASSWORD"] {
		t.Error("WERKSTATT_DATABASE_URL password differs from POSTGRES_PASSWORD")
	}
	if host, _, _ := strings.Cut(app.Environment["WERKSTATT_ADDR"], ":"); host != "0.0.0.0" {
		t.Errorf("WERKSTATT_ADDR = %q: inside a container it must listen on 0.0.0.0", app.Environment["WERKSTATT_ADDR"])
	}
	checkNATSVersion(t, nats.Image)
	checkSecrets(t, c)
	if !slices.Equal(app.Healthcheck.Test, []string{"CMD", "/werkstatt", "healthcheck"}) {
		t.Errorf("werkstatt healthcheck %v, want the binary's own probe (the image has no shell)", app.Healthcheck.Test)
	}
	for _, dep := range []string{"nats", "postgres"} {
		if app.DependsOn[dep].Condition != "service_healthy" || len(c.Services[dep].Healthcheck.Test) == 0 {
			t.Errorf("werkstatt should wait for %s to be healthy", dep)
		}
	}
}

// checkNATSVersion: compose runs the NATS release that go.mod embeds and the tests build.
func checkNATSVersion(t *testing.T, image string) {
	t.Helper()
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`github.com/nats-io/nats-server/v2 v(\d+\.\d+)\.\d+`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod names no nats-server version")
	}
	tag := strings.TrimSuffix(strings.TrimPrefix(image, "nats:"), "-alpine")
	if tag != string(m[1]) && !strings.HasPrefix(tag, string(m[1])+".") {
		t.Errorf("compose runs %s, want NATS %s as go.mod embeds and the tests build", image, m[1])
	}
}

// checkSecrets: the organiser token and the master key reach werkstatt as secrets, through
// their _FILE settings, never as plain environment values.
func checkSecrets(t *testing.T, c composeFile) {
	t.Helper()
	app := c.Services["werkstatt"]
	for _, name := range []string{"WERKSTATT_ADMIN_TOKEN", "WERKSTATT_MASTER_KEY"} {
		if _, ok := app.Environment[name]; ok {
			t.Errorf("werkstatt: %s in the environment, want it as a secret through %s_FILE", name, name)
		}
		secret, ok := strings.CutPrefix(app.Environment[name+"_FILE"], "/run/secrets/")
		if !ok {
			t.Errorf("werkstatt: %s_FILE = %q, want a file in /run/secrets", name, app.Environment[name+"_FILE"])
			continue
		}
		if !slices.Contains(app.Secrets, secret) {
			t.Errorf("werkstatt is not granted the secret %s", secret)
		}
		if src := c.Secrets[secret]; src.Environment != name && src.File == "" {
			t.Errorf("secret %s comes from %+v, want the host's %s", secret, src, name)
		}
	}
}

func checkVolumes(t *testing.T, c composeFile, service string, volumes []string) {
	t.Helper()
	if len(volumes) == 0 {
		t.Errorf("service %s keeps its data in no volume", service)
	}
	for _, v := range volumes {
		name, _, _ := strings.Cut(v, ":")
		if _, ok := c.Volumes[name]; !ok {
			t.Errorf("service %s: volume %q is not declared", service, name)
		}
	}
}

// TestDockerfile checks that the image builds werkstatt from public base images.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	from := regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(string(raw), -1)
	want := []string{"golang:1.26", "gcr.io/distroless/static-debian12:nonroot"}
	var got []string
	for _, m := range from {
		got = append(got, m[1])
	}
	if !slices.Equal(got, want) {
		t.Errorf("base images %v, want %v", got, want)
	}
	if !strings.Contains(string(raw), "./cmd/werkstatt") {
		t.Error("the Dockerfile does not build ./cmd/werkstatt")
	}
	env := regexp.MustCompile(`WERKSTATT_ADDR=(\S+)`).FindStringSubmatch(string(raw))
	if env == nil || !strings.HasPrefix(env[1], "0.0.0.0:") {
		t.Errorf("the image sets WERKSTATT_ADDR to %v, want 0.0.0.0:PORT (localhost is unreachable from outside a container)", env)
	}
	if !regexp.MustCompile(`(?m)^HEALTHCHECK .*CMD \["/werkstatt", "healthcheck"\]`).Match(raw) {
		t.Error("the image has no HEALTHCHECK running werkstatt healthcheck")
	}
}
