package genainormalizerprocessor // import "github.com/llm-observatory/collector/go/genainormalizerprocessor"

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/confmap"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor"
)

// knownSources are the source names contrib's gen_ai_normalizer accepts. llm_enrichment reads
// all of these conventions (and OpenLIT, Vercel AI SDK, Langfuse and older semconv) whichever
// are listed: the list is checked for compatibility, it does not narrow detection.
var knownSources = []string{"crewai", "custom", "langchain", "openinference", "openllmetry", "pydanticai"}

// Source is one entry of `sources`, keyed by the source name (or, in the list form some
// configs use, named by a `name` key).
type Source struct {
	// RemoveOriginals deletes the source attributes once their values are under the gen_ai.* names.
	RemoveOriginals bool `mapstructure:"remove_originals"`
	// Overwrite replaces gen_ai.* attributes that are already present.
	Overwrite bool `mapstructure:"overwrite"`
	// CustomMappings maps an attribute key to the gen_ai.* name it fills.
	CustomMappings map[string]string `mapstructure:"custom_mappings"`
}

// Config is contrib's gen_ai_normalizer configuration.
type Config struct {
	// Sources selects the source conventions, with per-source options.
	Sources map[string]Source `mapstructure:"sources"`

	_ struct{}
}

// Unmarshal accepts `sources` as a map keyed by source name (contrib's form) or as a list of
// entries with a `name` key (the form the OpenTelemetry demo's config uses).
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	list, ok := conf.Get("sources").([]any)
	if !ok {
		return conf.Unmarshal(cfg)
	}
	byName := map[string]any{}
	for i, entry := range list {
		fields, ok := entry.(map[string]any)
		if !ok {
			return fmt.Errorf("sources[%d]: expected a map with a name, got %T", i, entry)
		}
		name, ok := fields["name"].(string)
		if !ok || name == "" {
			return fmt.Errorf("sources[%d]: name is missing", i)
		}
		if _, dup := byName[name]; dup {
			return fmt.Errorf("sources[%d]: %q is listed twice", i, name)
		}
		rest := map[string]any{}
		for k, v := range fields {
			if k != "name" {
				rest[k] = v
			}
		}
		byName[name] = rest
	}
	return confmap.NewFromStringMap(map[string]any{"sources": byName}).Unmarshal(cfg)
}

// Validate checks what contrib's processor checks, then the enrichment config it becomes.
func (cfg *Config) Validate() error {
	if len(cfg.Sources) == 0 {
		return errors.New("sources: at least one source must be specified")
	}
	var errs []error
	for _, name := range cfg.sourceNames() {
		src := cfg.Sources[name]
		if i := sort.SearchStrings(knownSources, name); i == len(knownSources) || knownSources[i] != name {
			errs = append(errs, fmt.Errorf("sources: unknown source %q (known: %s)", name, strings.Join(knownSources, ", ")))
		}
		if name == "custom" && len(src.CustomMappings) == 0 {
			errs = append(errs, errors.New(`sources[custom].custom_mappings: required for the custom source`))
		}
		for from, to := range src.CustomMappings {
			switch {
			case from == "" || to == "":
				errs = append(errs, fmt.Errorf("sources[%s].custom_mappings: %q -> %q: both names must be non-empty", name, from, to))
			case from == to:
				errs = append(errs, fmt.Errorf("sources[%s].custom_mappings: %q maps to itself", name, from))
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	enrichment, err := cfg.enrichment()
	if err != nil {
		return err
	}
	return enrichment.Validate()
}

func (cfg *Config) sourceNames() []string {
	names := make([]string, 0, len(cfg.Sources))
	for n := range cfg.Sources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// enrichment is the llm_enrichment config this one means. Originals are removed only when every
// listed source asks for it (llm_enrichment removes them for all conventions at once); overwrite
// holds when any source asks for it; custom mappings are merged, and two sources mapping one
// key to different names is an error.
func (cfg *Config) enrichment() (*llmenrichmentprocessor.Config, error) {
	out := &llmenrichmentprocessor.Config{
		Envelope: pipeline.DefaultEnvelope(), InferProvider: true,
		AttributeMappings: map[string]string{},
	}
	removeAll := len(cfg.Sources) > 0
	for _, name := range cfg.sourceNames() {
		src := cfg.Sources[name]
		removeAll = removeAll && src.RemoveOriginals
		out.Overwrite = out.Overwrite || src.Overwrite
		for from, to := range src.CustomMappings {
			if prev, ok := out.AttributeMappings[from]; ok && prev != to {
				return nil, fmt.Errorf("sources[%s].custom_mappings: %q maps to %q here and to %q in another source", name, from, to, prev)
			}
			out.AttributeMappings[from] = to
		}
	}
	out.KeepSourceAttributes = !removeAll
	return out, nil
}
