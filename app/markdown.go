package app

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Announcements are written in Markdown and shown as HTML on pages and in the Atom feed. The
// HTML must be safe to put into a page as it is: goldmark escapes raw HTML by default (it is
// never made unsafe here); links keep only http, https and mailto addresses (and addresses on
// this site), carry rel="nofollow noopener", and images become links to them, so that reading
// an announcement loads nothing from elsewhere (a third party would learn who reads).

var markdown = goldmark.New(goldmark.WithParserOptions(
	parser.WithASTTransformers(util.Prioritized(linkPolicy{}, 100)),
))

// RenderMarkdown returns src as safe HTML.
func RenderMarkdown(src string) string {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return "<p>" + escapeHTML(src) + "</p>"
	}
	return b.String()
}

func escapeHTML(s string) string {
	return string(util.EscapeHTML([]byte(s)))
}

// linkRel is what every link of an announcement carries: no endorsement for search engines,
// no window.opener for the page it opens.
const linkRel = "nofollow noopener"

// allowedLink reports whether a link's destination may stay: http, https and mailto, or an
// address on this site (a path or a fragment, no scheme).
func allowedLink(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https", "mailto":
		return true
	case "":
		return u.Host == "" && u.Opaque == "" && !strings.Contains(dest, ":")
	}
	return false
}

// linkPolicy rewrites the links and images of a parsed announcement (see above).
type linkPolicy struct{}

func (linkPolicy) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.(type) {
			case *ast.Link, *ast.Image, *ast.AutoLink:
				nodes = append(nodes, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.Link:
			if !allowedLink(string(n.Destination)) {
				unwrap(n)
				continue
			}
			n.SetAttributeString("rel", []byte(linkRel))
		case *ast.Image:
			if !allowedLink(string(n.Destination)) {
				unwrap(n)
				continue
			}
			link := ast.NewLink()
			link.Destination, link.Title = n.Destination, n.Title
			link.SetAttributeString("rel", []byte(linkRel))
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				link.AppendChild(link, c)
				c = next
			}
			if !link.HasChildren() {
				link.AppendChild(link, ast.NewString(n.Destination))
			}
			n.Parent().ReplaceChild(n.Parent(), n, link)
		case *ast.AutoLink:
			dest := string(n.URL(source))
			if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
				dest = "mailto:" + dest
			}
			if !allowedLink(dest) {
				n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(source)))
				continue
			}
			n.SetAttributeString("rel", []byte(linkRel))
		}
	}
}

// unwrap replaces n by its children: the words of a refused link stay, the link goes.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}
