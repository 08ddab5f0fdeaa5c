//! Tistory's figures: `figure.imageblock` (an image with its caption), the grid and slide
//! blocks (several images), `fileblock` (an attachment), link cards (`data-ke-type=
//! opengraph`), videos (`data-ke-type=video`, YouTube and Vimeo frames become the video's
//! address alone on its line, which the build shows as a player), other frames kept as
//! HTML with a note, and the "more" box (`data-ke-type=moreLess`).

use scraper::ElementRef;

use super::blocks::{blocks, is_script_address};
use super::inline::{Inline, Mode};
use super::{destination, Context};

/// The elements below `el` named `name`, in document order.
fn below<'a>(el: ElementRef<'a>, name: &'a str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    el.descendants()
        .filter_map(ElementRef::wrap)
        .filter(move |e| e.value().name() == name)
}

/// An element's text with white space (and `&nbsp;`) folded, trimmed.
pub(super) fn folded_text(el: ElementRef) -> String {
    let text: String = el.text().collect();
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn figure(cx: &mut Context, el: ElementRef, out: &mut Vec<String>, mode: Mode) {
    let e = el.value();
    let kind = e.attr("data-ke-type").unwrap_or_default();
    let has = |class: &str| e.classes().any(|c| c == class);
    if kind == "opengraph" {
        out.extend(link_card(el));
    } else if kind == "video" {
        embed(cx, el, out);
    } else if has("fileblock") || kind == "file" {
        out.extend(attachment(cx, el));
    } else if below(el, "img").next().is_some() && !has_stray_text(el) {
        images(cx, el, out);
    } else if below(el, "iframe").next().is_some() || below(el, "video").next().is_some() {
        embed(cx, el, out);
    } else {
        out.extend(blocks(cx, el, mode));
    }
}

/// Whether a figure holds text besides its caption (then it is walked as any block, so
/// that none is lost).
fn has_stray_text(el: ElementRef) -> bool {
    el.descendants().any(|n| {
        n.value().as_text().is_some_and(|t| {
            !t.trim_matches(|c: char| c.is_whitespace()).is_empty()
                && !n
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| a.value().name() == "figcaption")
        })
    })
}

/// Each image of the figure on its own line, with the figure's caption as its title.
fn images(cx: &mut Context, el: ElementRef, out: &mut Vec<String>) {
    let caption = below(el, "figcaption")
        .next()
        .map(folded_text)
        .filter(|c| !c.is_empty());
    for img in below(el, "img") {
        let Some(image) = image(cx, img, caption.as_deref()) else {
            continue;
        };
        // An image that is a link (Tistory lets an image lead somewhere).
        let link = img
            .ancestors()
            .take_while(|a| a.id() != el.id())
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "a")
            .and_then(|a| a.value().attr("href"))
            .map(str::trim)
            .filter(|h| !h.is_empty() && !is_script_address(h));
        out.push(match link {
            Some(href) => format!("[{image}]({})", destination(href, None)),
            None => image,
        });
    }
}

/// The old editor's `span.imageblock`: its image, with the caption of its `span.cap1`.
pub(super) fn old_image_block(cx: &mut Context, el: ElementRef, line: &mut Inline) {
    let caption = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().classes().any(|c| c.starts_with("cap")))
        .map(folded_text)
        .filter(|c| !c.is_empty());
    for img in below(el, "img") {
        if let Some(image) = image(cx, img, caption.as_deref()) {
            line.push_verbatim(&image);
        }
    }
}

/// `![alt](src "caption")` for an `<img>`: its address from `src` (or the `data-url` of the
/// span around it), passed through the caller's `image`; the alternative text from `alt`,
/// else the caption.
pub(super) fn image(cx: &mut Context, img: ElementRef, caption: Option<&str>) -> Option<String> {
    let e = img.value();
    let wrapper = img
        .parent()
        .and_then(ElementRef::wrap)
        .and_then(|p| p.value().attr("data-url"));
    let src = [e.attr("src"), e.attr("data-src"), wrapper]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty() && !is_script_address(s))?;
    let src = (cx.image)(src).unwrap_or_else(|| src.to_owned());
    let alt = e
        .attr("alt")
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty())
        .or_else(|| caption.map(str::to_owned))
        .unwrap_or_default();
    Some(format!(
        "![{}]({})",
        escape_label(&alt),
        destination(&src, caption)
    ))
}

/// Text inside `[...]` of a link or an image.
pub(super) fn escape_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link card: a link to the page with the card's title.
fn link_card(el: ElementRef) -> Option<String> {
    let e = el.value();
    let anchor = below(el, "a").next();
    let url = [
        e.attr("data-og-source-url"),
        e.attr("data-og-url"),
        anchor.and_then(|a| a.value().attr("href")),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|u| !u.is_empty() && !is_script_address(u))?;
    let title_para = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|p| p.value().classes().any(|c| c == "og-title"))
        .map(folded_text);
    let title = e
        .attr("data-og-title")
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .or(title_para)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| url.to_owned());
    Some(format!(
        "[{}]({})",
        escape_label(&title),
        destination(url, None)
    ))
}

/// `figure.fileblock`: a link to the attachment (passed through `image`, which copies it).
fn attachment(cx: &mut Context, el: ElementRef) -> Option<String> {
    let anchor = below(el, "a").next()?;
    let href = anchor
        .value()
        .attr("href")
        .map(str::trim)
        .filter(|h| !h.is_empty() && !is_script_address(h))?;
    let name = anchor
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|n| n.value().classes().any(|c| c == "name"))
        .map(folded_text)
        .or_else(|| el.value().attr("data-filename").map(str::to_owned))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| folded_text(anchor));
    let href = (cx.image)(href).unwrap_or_else(|| href.to_owned());
    Some(format!(
        "[{}]({})",
        escape_label(&name),
        destination(&href, None)
    ))
}

/// A video or another embedded frame: YouTube and Vimeo become the video's address alone on
/// its line; any other frame is kept as a bare `<iframe>` (or `<video>`), with a note.
pub(super) fn embed(cx: &mut Context, el: ElementRef, out: &mut Vec<String>) {
    let frame = if matches!(el.value().name(), "iframe" | "video" | "embed") {
        Some(el)
    } else {
        el.descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| matches!(e.value().name(), "iframe" | "video" | "embed"))
    };
    let src = [
        el.value().attr("data-video-url"),
        frame.and_then(frame_source),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|s| !s.is_empty());
    let Some(src) = src else {
        return;
    };
    if let Some(watch) = video_address(src) {
        out.push(watch);
        return;
    }
    let absolute = if src.starts_with("//") {
        format!("https:{src}")
    } else {
        src.to_owned()
    };
    let Ok(url) = url::Url::parse(&absolute) else {
        cx.note(&format!(
            "dropped an embedded frame with an address ilji cannot read ({src})"
        ));
        return;
    };
    if !matches!(url.scheme(), "http" | "https") {
        cx.note(&format!(
            "dropped an embedded frame of {}: address",
            url.scheme()
        ));
        return;
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    let tag = match frame.map(|f| f.value().name()) {
        Some("video") => "video",
        _ => "iframe",
    };
    let size = |name: &str| {
        frame
            .and_then(|f| f.value().attr(name))
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .map(|v| format!(" {name}=\"{v}\""))
            .unwrap_or_default()
    };
    let extra = if tag == "video" {
        " controls"
    } else {
        " allowfullscreen"
    };
    out.push(format!(
        "<{tag} src=\"{}\"{}{}{extra}></{tag}>",
        crate::html::escape_html(url.as_str()),
        size("width"),
        size("height"),
    ));
    cx.note(&format!("kept an embedded {tag} from {host} as HTML"));
}

/// The address a frame or video plays: its `src`, else its first `<source>`'s.
fn frame_source(e: ElementRef<'_>) -> Option<&str> {
    e.value().attr("src").or_else(|| {
        below(e, "source")
            .next()
            .and_then(|s| s.value().attr("src"))
    })
}

/// The page of a YouTube or Vimeo video from its player's address (`/embed/ID`).
pub(super) fn video_address(src: &str) -> Option<String> {
    let absolute = if src.starts_with("//") {
        format!("https:{src}")
    } else {
        src.to_owned()
    };
    let url = url::Url::parse(&absolute).ok()?;
    let host = url
        .host_str()?
        .trim_start_matches("www.")
        .trim_start_matches("m.");
    let mut path = url.path_segments()?.filter(|s| !s.is_empty());
    let id_ok = |id: &str| {
        (3..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let youtube = |id: &str| {
        let start = url
            .query_pairs()
            .find(|(k, _)| k == "start" || k == "t")
            .map(|(_, v)| v.trim_end_matches('s').to_owned())
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
        match start {
            Some(t) => format!("https://www.youtube.com/watch?v={id}&t={t}s"),
            None => format!("https://www.youtube.com/watch?v={id}"),
        }
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let first = path.next()?;
            let id = match first {
                "embed" | "v" | "shorts" | "live" => path.next()?.to_owned(),
                "watch" => url.query_pairs().find(|(k, _)| k == "v")?.1.into_owned(),
                _ => return None,
            };
            id_ok(&id).then(|| youtube(&id))
        }
        "youtu.be" => {
            let id = path.next()?;
            id_ok(id).then(|| youtube(id))
        }
        "player.vimeo.com" | "vimeo.com" => {
            let id = path.find(|s| s.bytes().all(|b| b.is_ascii_digit()))?;
            Some(format!("https://vimeo.com/{id}"))
        }
        _ => None,
    }
}

/// Tistory's "more" box: its content, without the button that opens it.
pub(super) fn more_less(cx: &mut Context, el: ElementRef, out: &mut Vec<String>, mode: Mode) {
    let content = el
        .children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().classes().any(|c| c == "moreless-content"));
    match content {
        Some(content) => out.extend(blocks(cx, content, mode)),
        None => {
            for child in el.children().filter_map(ElementRef::wrap) {
                if !child.value().classes().any(|c| c == "btn-toggle-moreless") {
                    out.extend(blocks(cx, child, mode));
                }
            }
        }
    }
}
