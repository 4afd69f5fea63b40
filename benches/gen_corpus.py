#!/usr/bin/env python3
"""Generate a synthetic catalog of N dataset entries for benchmarks.

The same N entries (same seed, same numbers, same prose) can be written in three forms:

  catalog   content/ in this project's entry format (see docs/entry-format.md)
  hugo      a complete Hugo site doing the equivalent work
  zola      a complete Zola site doing the equivalent work

The equivalent work per entry: one page with the header fields, the Markdown body, and a
class-count table (labels x splits) with per-label and per-split totals; one index page listing
every entry; one listing page per modality and per task.

Usage:
  gen_corpus.py --entries 10000 --out corpus-10k            # catalog form
  gen_corpus.py --entries 10000 --out hugo-10k --form hugo
  gen_corpus.py --entries 10000 --out zola-10k --form zola
"""
import argparse
import os
import random
import shutil

MODALITIES = ["x-ray", "ct", "mri", "ultrasound", "pet", "mammography", "histopathology",
              "fundus", "dermoscopy", "endoscopy", "oct"]
REGIONS = ["chest", "brain", "abdomen", "breast", "knee", "spine", "heart", "eye", "skin",
           "liver", "prostate", "lung", "colon", "whole-body"]
TASKS = ["classification", "detection", "segmentation", "report-generation", "retrieval",
         "registration", "survival-prediction", "visual-question-answering"]
ACCESS = ["open", "registration", "credentialed", "restricted"]
LICENSES = ["CC-BY-4.0", "CC-BY-NC-SA-4.0", "CC0-1.0", "ODbL-1.0", "PhysioNet-Credentialed-1.5.0",
            "custom"]
def license_id(name):
    """The id a licence goes by in content/licenses.toml."""
    return name.lower().replace(".", "-")


LABELS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
          "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural Thickening",
          "Hernia", "Fracture", "Lung Opacity", "Lung Lesion", "Support Devices", "Enlarged Cardiomediastinum",
          "Glioma", "Meningioma", "Pituitary Tumor", "Melanoma", "Nevus", "Basal Cell Carcinoma",
          "Diabetic Retinopathy", "Glaucoma", "Polyp", "Adenocarcinoma", "Benign", "Malignant",
          "Calcification", "Architectural Distortion", "Tear", "Osteoarthritis"]
WORDS = ("image images scanner patients acquired hospital radiologist report reports label labels "
         "annotated annotation split test validation training cohort protocol resolution "
         "grayscale contrast slice volume series study studies frontal lateral view views "
         "de-identified release version archive benchmark baseline model models clinical findings "
         "impression section extracted rule based labeler uncertainty negative positive mention "
         "institution collected between years format exported normalised bit depth").split()
SPLITS = ["Train", "Test", "Valid"]


def sentence(rng, n=None):
    n = n or rng.randint(8, 18)
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_entry(i, rng):
    slug = f"dataset-{i:06d}"
    n_labels = rng.randint(8, 16)
    labels = rng.sample(LABELS, n_labels)
    split_images = [rng.randint(2000, 80000) for _ in SPLITS]
    counts = {lab: [rng.randint(0, s // 3) for s in split_images] for lab in labels}
    body = []
    body.append(sentence(rng, 25) + " " + sentence(rng) + " " + sentence(rng))
    body.append("")
    body.append("## Collection")
    body.append("")
    for _ in range(rng.randint(4, 8)):
        body.append(f"- {sentence(rng)} It holds **{rng.randint(100, 99999):,}** items.")
    body.append("")
    body.append("## Labels")
    body.append("")
    body.append(sentence(rng, 30) + f" See [the paper](https://arxiv.org/abs/{rng.randint(1000, 2400)}.{rng.randint(10000, 99999)}).")
    body.append("")
    body.append("1. " + sentence(rng))
    body.append("2. " + sentence(rng) + " *Note:* " + sentence(rng, 6))
    body.append("3. " + sentence(rng))
    body.append("")
    body.append(sentence(rng, 40))
    return {
        "slug": slug,
        "name": f"Synthetic Set {i}",
        "summary": sentence(rng, 14),
        "publisher": f"Hospital {rng.randint(1, 500)}",
        "homepage": f"https://example.org/datasets/{slug}",
        "modalities": rng.sample(MODALITIES, rng.randint(1, 2)),
        "body_regions": rng.sample(REGIONS, rng.randint(1, 2)),
        "tasks": rng.sample(TASKS, rng.randint(1, 3)),
        "access": rng.choice(ACCESS),
        "license": rng.choice(LICENSES),
        "year": rng.randint(1995, 2026),
        "images": sum(split_images),
        "patients": min(rng.randint(100, 60000), sum(split_images)),
        "paper_title": sentence(rng, 9).rstrip("."),
        "paper_url": f"https://arxiv.org/abs/{rng.randint(1000, 2400)}.{rng.randint(10000, 99999)}",
        "split_images": split_images,
        "counts": counts,
        "body": "\n".join(body) + "\n",
    }


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(xs):
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


def counts_toml(e, prefix, array=False):
    head = "[[class_counts]]" if array else f"[{prefix}class_counts]"
    out = [head,
           f"title = {toml_str('Official split')}",
           "official = true",
           f"source = {toml_str(e['paper_url'])}",
           'unit = "images"',
           f"splits = {toml_list(SPLITS)}",
           f"images = [{', '.join(str(n) for n in e['split_images'])}]",
           "multi_label = true",
           f"[{prefix}class_counts.labels]"]
    for lab, row in e["counts"].items():
        out.append(f"{toml_str(lab)} = [{', '.join(str(n) for n in row)}]")
    return out


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_catalog(entries, out):
    write(f"{out}/content/site.toml", 'title = "Synthetic catalog"\ndescription = "Benchmark corpus"\n')
    tasks = []
    for e in entries[:50]:
        tasks += ["[[tasks]]", f"title = {toml_str(e['name'])}", f"dataset = {toml_str(e['slug'])}",
                  f"done = {'true' if e['year'] % 2 else 'false'}", ""]
    write(f"{out}/content/tasks.toml", "\n".join(tasks))
    vocab = []
    for table, terms in [("modalities", MODALITIES), ("body_regions", REGIONS), ("tasks", TASKS),
                         ("access", ACCESS)]:
        vocab.append(f"[{table}]")
        vocab += [f'{t} = {{ name = {toml_str(t.replace("-", " ").capitalize())} }}' for t in terms]
        vocab.append("")
    write(f"{out}/content/vocabulary.toml", "\n".join(vocab))
    write(f"{out}/content/labels.toml", "\n".join(
        f"[[findings]]\nname = {toml_str(lab)}\nsynonyms = []\n" for lab in LABELS))
    # Each licence once, named by its id (the SPDX id in lower case, dots as hyphens).
    write(f"{out}/content/licenses.toml", "\n".join(
        f"[{license_id(lic)}]\nname = {toml_str(lic)}\n"
        + "".join(f'{p} = "unclear"\n' for p in ("commercial", "redistribution", "derivatives",
                                                   "attribution", "share_alike", "agreement"))
        for lic in LICENSES))
    for e in entries:
        fm = [f"name = {toml_str(e['name'])}",
              f"summary = {toml_str(e['summary'])}",
              f"publisher = {toml_str(e['publisher'])}",
              f"homepage = {toml_str(e['homepage'])}",
              f"modalities = {toml_list(e['modalities'])}",
              f"body_regions = {toml_list(e['body_regions'])}",
              f"tasks = {toml_list(e['tasks'])}",
              f"access = {toml_str(e['access'])}",
              f"license = {toml_str(license_id(e['license']))}",
              f"year = {e['year']}",
              f"images = {e['images']}",
              f"patients = {e['patients']}",
              "",
              "[[papers]]",
              f"title = {toml_str(e['paper_title'])}",
              f"url = {toml_str(e['paper_url'])}",
              f"year = {e['year']}",
              'numbers = ["images", "patients"]',
              ""] + counts_toml(e, "", array=True)
        write(f"{out}/content/datasets/{e['slug']}.md", "+++\n" + "\n".join(fm) + "\n+++\n\n" + e["body"])


# ---------------------------------------------------------------- anchors: equivalent Zola and Hugo sites

ZOLA_CONFIG = """base_url = "https://example.org"
title = "Synthetic catalog"
compile_sass = false
build_search_index = false
taxonomies = [{ name = "modalities" }, { name = "tasks" }]
"""

ZOLA_BASE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head>
<body><header><a href="{{ config.base_url }}">{{ config.title }}</a></header><main>{% block content %}{% endblock %}</main></body></html>
"""

ZOLA_INDEX = """{% extends "base.html" %}{% block content %}
{% set section = get_section(path="datasets/_index.md") %}
<table><thead><tr><th>Name</th><th>Modalities</th><th>Images</th><th>Year</th><th>Access</th></tr></thead><tbody>
{% for p in section.pages %}<tr><td><a href="{{ p.permalink }}">{{ p.title }}</a></td><td>{{ p.taxonomies.modalities | join(sep=", ") }}</td><td>{{ p.extra.images }}</td><td>{{ p.extra.year }}</td><td>{{ p.extra.access }}</td></tr>
{% endfor %}</tbody></table>{% endblock %}
"""

ZOLA_SECTION = """{% extends "base.html" %}{% block content %}<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
"""

ZOLA_PAGE = """{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block content %}
<h1>{{ page.title }}</h1><p>{{ page.description }}</p>
<dl><dt>Publisher</dt><dd>{{ page.extra.publisher }}</dd><dt>Homepage</dt><dd><a href="{{ page.extra.homepage }}">{{ page.extra.homepage }}</a></dd>
<dt>Modalities</dt><dd>{% for m in page.taxonomies.modalities %}<a href="{{ get_taxonomy_url(kind="modalities", name=m) }}">{{ m }}</a> {% endfor %}</dd>
<dt>Tasks</dt><dd>{% for t in page.taxonomies.tasks %}<a href="{{ get_taxonomy_url(kind="tasks", name=t) }}">{{ t }}</a> {% endfor %}</dd>
<dt>Regions</dt><dd>{{ page.extra.body_regions | join(sep=", ") }}</dd><dt>Access</dt><dd>{{ page.extra.access }}</dd><dt>License</dt><dd>{{ page.extra.license }}</dd>
<dt>Images</dt><dd>{{ page.extra.images }}</dd><dt>Patients</dt><dd>{{ page.extra.patients }}</dd><dt>Year</dt><dd>{{ page.extra.year }}</dd></dl>
{% for paper in page.extra.papers %}<p><a href="{{ paper.url }}">{{ paper.title }}</a> ({{ paper.year }})</p>{% endfor %}
{% set cc = page.extra.class_counts %}
<table><thead><tr><th>Label</th>{% for s in cc.splits %}<th>{{ s }}</th>{% endfor %}<th>Total</th></tr></thead><tbody>
{% set_global col0 = 0 %}{% set_global col1 = 0 %}{% set_global col2 = 0 %}
{% for label, row in cc.labels %}{% set_global rowsum = 0 %}<tr><td>{{ label }}</td>{% for n in row %}<td>{{ n }}</td>{% set_global rowsum = rowsum + n %}{% endfor %}<td>{{ rowsum }}</td></tr>
{% set_global col0 = col0 + row.0 %}{% set_global col1 = col1 + row.1 %}{% set_global col2 = col2 + row.2 %}{% endfor %}
<tr><th>Label occurrences</th><td>{{ col0 }}</td><td>{{ col1 }}</td><td>{{ col2 }}</td><td>{{ col0 + col1 + col2 }}</td></tr>
<tr><th>Images</th>{% for n in cc.images %}<td>{{ n }}</td>{% endfor %}<td>{{ page.extra.images }}</td></tr>
</tbody></table>
{{ page.content | safe }}{% endblock %}
"""

ZOLA_TAX_LIST = """{% extends "base.html" %}{% block content %}<ul>{% for t in terms %}<li><a href="{{ t.permalink }}">{{ t.name }}</a> ({{ t.pages | length }})</li>{% endfor %}</ul>{% endblock %}
"""

ZOLA_TAX_SINGLE = """{% extends "base.html" %}{% block content %}<h1>{{ term.name }}</h1><ul>{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
"""


def write_zola(entries, out):
    write(f"{out}/config.toml", ZOLA_CONFIG)
    write(f"{out}/content/_index.md", "+++\ntitle = \"Catalog\"\n+++\n")
    write(f"{out}/content/datasets/_index.md", "+++\ntitle = \"Datasets\"\nsort_by = \"title\"\n+++\n")
    t = f"{out}/templates"
    write(f"{t}/base.html", ZOLA_BASE)
    write(f"{t}/index.html", ZOLA_INDEX)
    write(f"{t}/section.html", ZOLA_SECTION)
    write(f"{t}/page.html", ZOLA_PAGE)
    write(f"{t}/taxonomy_list.html", ZOLA_TAX_LIST)
    write(f"{t}/taxonomy_single.html", ZOLA_TAX_SINGLE)
    for e in entries:
        fm = [f"title = {toml_str(e['name'])}",
              f"description = {toml_str(e['summary'])}",
              "[taxonomies]",
              f"modalities = {toml_list(e['modalities'])}",
              f"tasks = {toml_list(e['tasks'])}",
              "[extra]",
              f"publisher = {toml_str(e['publisher'])}",
              f"homepage = {toml_str(e['homepage'])}",
              f"body_regions = {toml_list(e['body_regions'])}",
              f"access = {toml_str(e['access'])}",
              f"license = {toml_str(e['license'])}",
              f"year = {e['year']}",
              f"images = {e['images']}",
              f"patients = {e['patients']}",
              "[[extra.papers]]",
              f"title = {toml_str(e['paper_title'])}",
              f"url = {toml_str(e['paper_url'])}",
              f"year = {e['year']}"] + counts_toml(e, "extra.")
        write(f"{out}/content/datasets/{e['slug']}.md", "+++\n" + "\n".join(fm) + "\n+++\n\n" + e["body"])


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Synthetic catalog"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
modality = "modalities"
task = "tasks"
"""

HUGO_BASE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title></head>
<body><header><a href="{{ .Site.BaseURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
"""

HUGO_HOME = """{{ define "main" }}<table><thead><tr><th>Name</th><th>Modalities</th><th>Images</th><th>Year</th><th>Access</th></tr></thead><tbody>
{{ range (where .Site.RegularPages "Section" "datasets").ByTitle }}<tr><td><a href="{{ .Permalink }}">{{ .Title }}</a></td><td>{{ delimit .Params.modalities ", " }}</td><td>{{ .Params.images }}</td><td>{{ .Params.year }}</td><td>{{ .Params.access }}</td></tr>
{{ end }}</tbody></table>{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""

HUGO_TERMS = """{{ define "main" }}<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"""

HUGO_SINGLE = """{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}
<h1>{{ .Title }}</h1><p>{{ .Description }}</p>
<dl><dt>Publisher</dt><dd>{{ .Params.publisher }}</dd><dt>Homepage</dt><dd><a href="{{ .Params.homepage }}">{{ .Params.homepage }}</a></dd>
<dt>Modalities</dt><dd>{{ range .GetTerms "modalities" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
<dt>Tasks</dt><dd>{{ range .GetTerms "tasks" }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
<dt>Regions</dt><dd>{{ delimit .Params.body_regions ", " }}</dd><dt>Access</dt><dd>{{ .Params.access }}</dd><dt>License</dt><dd>{{ .Params.license }}</dd>
<dt>Images</dt><dd>{{ .Params.images }}</dd><dt>Patients</dt><dd>{{ .Params.patients }}</dd><dt>Year</dt><dd>{{ .Params.year }}</dd></dl>
{{ range .Params.papers }}<p><a href="{{ .url }}">{{ .title }}</a> ({{ .year }})</p>{{ end }}
{{ $cc := .Params.class_counts }}
<table><thead><tr><th>Label</th>{{ range $cc.splits }}<th>{{ . }}</th>{{ end }}<th>Total</th></tr></thead><tbody>
{{ $c0 := 0 }}{{ $c1 := 0 }}{{ $c2 := 0 }}
{{ range $label, $row := $cc.labels }}{{ $s := 0 }}<tr><td>{{ $label }}</td>{{ range $row }}<td>{{ . }}</td>{{ $s = add $s . }}{{ end }}<td>{{ $s }}</td></tr>
{{ $c0 = add $c0 (index $row 0) }}{{ $c1 = add $c1 (index $row 1) }}{{ $c2 = add $c2 (index $row 2) }}{{ end }}
<tr><th>Label occurrences</th><td>{{ $c0 }}</td><td>{{ $c1 }}</td><td>{{ $c2 }}</td><td>{{ add (add $c0 $c1) $c2 }}</td></tr>
<tr><th>Images</th>{{ range $cc.images }}<td>{{ . }}</td>{{ end }}<td>{{ .Params.images }}</td></tr>
</tbody></table>
{{ .Content }}{{ end }}
"""


def write_hugo(entries, out):
    write(f"{out}/hugo.toml", HUGO_CONFIG)
    write(f"{out}/content/datasets/_index.md", "+++\ntitle = \"Datasets\"\n+++\n")
    lay = f"{out}/layouts/_default"
    write(f"{lay}/baseof.html", HUGO_BASE)
    write(f"{lay}/single.html", HUGO_SINGLE)
    write(f"{lay}/list.html", HUGO_LIST)
    write(f"{lay}/terms.html", HUGO_TERMS)
    write(f"{out}/layouts/index.html", HUGO_HOME)
    for e in entries:
        fm = [f"title = {toml_str(e['name'])}",
              f"description = {toml_str(e['summary'])}",
              f"modalities = {toml_list(e['modalities'])}",
              f"tasks = {toml_list(e['tasks'])}",
              f"publisher = {toml_str(e['publisher'])}",
              f"homepage = {toml_str(e['homepage'])}",
              f"body_regions = {toml_list(e['body_regions'])}",
              f"access = {toml_str(e['access'])}",
              f"license = {toml_str(e['license'])}",
              f"year = {e['year']}",
              f"images = {e['images']}",
              f"patients = {e['patients']}",
              "[[papers]]",
              f"title = {toml_str(e['paper_title'])}",
              f"url = {toml_str(e['paper_url'])}",
              f"year = {e['year']}"] + counts_toml(e, "")
        write(f"{out}/content/datasets/{e['slug']}.md", "+++\n" + "\n".join(fm) + "\n+++\n\n" + e["body"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--form", choices=["catalog", "hugo", "zola"], default="catalog")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    entries = [make_entry(i, rng) for i in range(a.entries)]
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    {"catalog": write_catalog, "hugo": write_hugo, "zola": write_zola}[a.form](entries, a.out)
    print(f"wrote {a.entries} entries ({a.form}) to {a.out}")


if __name__ == "__main__":
    main()
