//! HTML turned into Markdown: the body of a Tistory post (its editor's `<p data-ke-size>`,
//! `figure.imageblock`, `pre[data-ke-type=codeblock]` markup), or Tistory HTML that a writer
//! pasted into a Markdown post of another blog.
//!
//! STUB: the interface the Tistory importer codes against; the conversion itself is still to
//! be written (issue 25, item 4). It returns the HTML as it is.

/// A body converted to Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlMarkdown {
    pub markdown: String,
    /// Remarks for the writer (what could not be converted and was kept as HTML).
    pub notes: Vec<String>,
}

/// Converts `html` (a fragment: the inside of the post's article) to Markdown. `image` is
/// asked for the address each image (`<img src>`) should have in the Markdown, given the
/// address written in the HTML; `None` keeps it as written.
pub fn to_markdown(html: &str, image: &mut dyn FnMut(&str) -> Option<String>) -> HtmlMarkdown {
    let _ = image;
    HtmlMarkdown {
        markdown: html.to_string(),
        notes: Vec::new(),
    }
}

/// Whether a Markdown body holds HTML from Tistory's editor (pasted when the blog moved),
/// which [`to_markdown`] should turn into Markdown.
pub fn looks_like_tistory(body: &str) -> bool {
    body.contains("data-ke-")
}
