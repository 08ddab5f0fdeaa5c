//! The summary of a body: its first paragraph, found in the events as the HTML writer takes
//! them and cut from the body's HTML (the text before `<!-- more -->` is rendered on its own
//! by the caller).

use pulldown_cmark::{Event, Tag};
use std::cell::Cell;

/// Where the first paragraph is in a body's HTML, told by the events as the HTML writer
/// takes them: the summary, cut from the body rather than rendered again from a kept list of
/// its events.
#[derive(Default)]
pub(super) struct FirstParagraph(Cell<ParagraphSeen>);

#[derive(Debug, Default, Clone, Copy)]
enum ParagraphSeen {
    #[default]
    NotYet,
    /// Its HTML starts at `start`; `depth` tags are open in it, itself included.
    In {
        start: usize,
        depth: usize,
    },
    /// Its end was taken: its HTML ends where the next event's begins.
    Closing {
        start: usize,
    },
    Done {
        start: usize,
        end: usize,
    },
}

impl FirstParagraph {
    /// Notes `event`, taken when `written` bytes of HTML were written.
    pub(super) fn see(&self, event: &Event, written: usize) {
        use ParagraphSeen::*;
        let next = match (self.0.get(), event) {
            (NotYet, Event::Start(Tag::Paragraph)) => In {
                start: written,
                depth: 1,
            },
            (In { start, depth }, Event::Start(_)) => In {
                start,
                depth: depth + 1,
            },
            (In { start, depth: 1 }, Event::End(_)) => Closing { start },
            (In { start, depth }, Event::End(_)) => In {
                start,
                depth: depth - 1,
            },
            (Closing { start }, _) => Done {
                start,
                end: written,
            },
            (seen, _) => seen,
        };
        self.0.set(next);
    }

    /// Its HTML in `html`, the whole body, as it would be rendered alone (empty if there is
    /// none).
    pub(super) fn cut<'h>(&self, html: &'h str) -> &'h str {
        let (start, end) = match self.0.get() {
            ParagraphSeen::Closing { start } => (start, html.len()),
            ParagraphSeen::Done { start, end } => (start, end),
            ParagraphSeen::NotYet | ParagraphSeen::In { .. } => return "",
        };
        // The writer puts a line break before a block that does not start a line; alone, the
        // paragraph starts one.
        let cut = html.get(start..end).unwrap_or("");
        cut.strip_prefix('\n').unwrap_or(cut)
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::html::to_html;
    use crate::markdown::images::Images;
    use crate::markdown::options;
    use crate::markdown::tests::render_to_string as render;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    #[test]
    fn the_summary_is_the_first_paragraph_as_rendered_alone() {
        for markdown in [
            "첫 **문단**.\n\n둘째.",
            "# 제목\n\n첫 문단",
            "> 인용 *문단*\n> 둘째 줄\n\n본문\n",
            "- 하나\n\n- 둘\n\n  안쪽\n",
            "| a |\n|---|\n| 1 |\n\n끝 `코드`  \n줄\n",
            "<div>html</div>\n\n문단 ![그림](a.png)",
            "```\n코드\n```\n",
            "",
        ] {
            let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
            let alone = match events
                .iter()
                .position(|e| matches!(e, Event::Start(Tag::Paragraph)))
            {
                Some(start) => {
                    let len = events[start..]
                        .iter()
                        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                        .unwrap();
                    let paragraph = events[start..=start + len].iter().cloned();
                    to_html(Images::new(paragraph, &|_| None), 0)
                }
                None => String::new(),
            };
            assert_eq!(render(markdown).summary_html, alone, "{markdown:?}");
        }
    }

    #[test]
    fn summary_from_more_marker_or_first_paragraph() {
        assert_eq!(
            render("첫 문단.\n\n둘째.").summary_html,
            "<p>첫 문단.</p>\n"
        );
        for marker in ["<!-- more -->", "<!--more-->", "<!--   more\t-->"] {
            let r = render(&format!("하나.\n\n둘.\n\n{marker}\n\n셋."));
            assert_eq!(r.summary_html, "<p>하나.</p>\n<p>둘.</p>\n", "{marker}");
        }
        // Hugo's writers put it at the end of a line of the paragraph, too.
        let r = render("하나 https://a.example.com/x<!--more-->\n\n둘.");
        assert_eq!(
            r.summary_html,
            "<p>하나 <a href=\"https://a.example.com/x\">https://a.example.com/x</a></p>\n"
        );
        for not_one in ["<!-- moreover -->", "<!-- more", "<!-- no more -->"] {
            let r = render(&format!("하나.\n\n{not_one}\n\n셋."));
            assert_eq!(r.summary_html, "<p>하나.</p>\n", "{not_one}");
        }
    }
}
