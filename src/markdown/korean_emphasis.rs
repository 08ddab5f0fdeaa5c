//! Korean sentences with emphasis, as writers type them: `**마크다운(Markdown)**을`, where a
//! particle follows the closing `**` right after punctuation. CommonMark's flanking rules
//! leave those asterisks literal; the CJK-friendly amendments (pulldown-cmark's
//! `ENABLE_CJK_FRIENDLY_EMPHASIS`, see `vendor/pulldown-cmark/README.md`) make them
//! emphasis. Issue 25, item 1.

use pulldown_cmark::{Options, Parser};

use super::html::to_html;
use super::{options, render_fragment, render_untrusted};

/// Literal `*`, `**` or `~~` in CommonMark (and pulldown-cmark 0.13.6); emphasis with the flag.
const FIXED_BY_THE_FLAG: &[(&str, &str)] = &[
    (
        "**차원축소(dimensionality reduction)**와 같은 기법\n",
        "<p><strong>차원축소(dimensionality reduction)</strong>와 같은 기법</p>\n",
    ),
    (
        "**마크다운(Markdown)**을 쓴다\n",
        "<p><strong>마크다운(Markdown)</strong>을 쓴다</p>\n",
    ),
    (
        "그는 **“괜찮아요”**라고 말했다\n",
        "<p>그는 <strong>“괜찮아요”</strong>라고 말했다</p>\n",
    ),
    (
        "할인율은 **30%**나 된다\n",
        "<p>할인율은 <strong>30%</strong>나 된다</p>\n",
    ),
    (
        "**API(응용 프로그램 인터페이스)**를 호출한다\n",
        "<p><strong>API(응용 프로그램 인터페이스)</strong>를 호출한다</p>\n",
    ),
    (
        "**중요(重要)**한 점은 이것이다\n",
        "<p><strong>중요(重要)</strong>한 점은 이것이다</p>\n",
    ),
    (
        "**「한국어」**는 어렵다\n",
        "<p><strong>「한국어」</strong>는 어렵다</p>\n",
    ),
    (
        "**『토지』**를 읽었다\n",
        "<p><strong>『토지』</strong>를 읽었다</p>\n",
    ),
    (
        "**《한겨레》**에 실렸다\n",
        "<p><strong>《한겨레》</strong>에 실렸다</p>\n",
    ),
    (
        "**〈논문 제목〉**에서 인용했다\n",
        "<p><strong>〈논문 제목〉</strong>에서 인용했다</p>\n",
    ),
    (
        "**'작은따옴표'**로 감싼다\n",
        "<p><strong>'작은따옴표'</strong>로 감싼다</p>\n",
    ),
    (
        "**\"큰따옴표\"**로 감싼다\n",
        "<p><strong>\"큰따옴표\"</strong>로 감싼다</p>\n",
    ),
    (
        "**‘작은 인용’**이라는 말\n",
        "<p><strong>‘작은 인용’</strong>이라는 말</p>\n",
    ),
    (
        "**50%**의 할인\n",
        "<p><strong>50%</strong>의 할인</p>\n",
    ),
    (
        "**3.5%**가 늘었다\n",
        "<p><strong>3.5%</strong>가 늘었다</p>\n",
    ),
    (
        "**1위!**를 차지했다\n",
        "<p><strong>1위!</strong>를 차지했다</p>\n",
    ),
    (
        "**정말?**이라고 물었다\n",
        "<p><strong>정말?</strong>이라고 물었다</p>\n",
    ),
    (
        "**정말요?!**라고 되물었다\n",
        "<p><strong>정말요?!</strong>라고 되물었다</p>\n",
    ),
    (
        "**Hello, world!**라고 출력한다\n",
        "<p><strong>Hello, world!</strong>라고 출력한다</p>\n",
    ),
    (
        "**끝.**그리고 시작\n",
        "<p><strong>끝.</strong>그리고 시작</p>\n",
    ),
    (
        "**2024.01.01.**에 발표했다\n",
        "<p><strong>2024.01.01.</strong>에 발표했다</p>\n",
    ),
    (
        "**C++**로 작성했다\n",
        "<p><strong>C++</strong>로 작성했다</p>\n",
    ),
    (
        "**C#**은 닷넷 언어다\n",
        "<p><strong>C#</strong>은 닷넷 언어다</p>\n",
    ),
    (
        "**안녕！**하세요\n",
        "<p><strong>안녕！</strong>하세요</p>\n",
    ),
    (
        "**…**이라는 말줄임표\n",
        "<p><strong>…</strong>이라는 말줄임표</p>\n",
    ),
    (
        "**좋아요👍**를 눌러 주세요\n",
        "<p><strong>좋아요👍</strong>를 눌러 주세요</p>\n",
    ),
    (
        "링크 **[블로그](https://example.com)**를 보세요\n",
        "<p>링크 <strong><a href=\"https://example.com\">블로그</a></strong>를 보세요</p>\n",
    ),
    (
        "**`cargo build`**를 실행한다\n",
        "<p><strong><code>cargo build</code></strong>를 실행한다</p>\n",
    ),
    (
        "한국어**(Korean)**는 교착어다\n",
        "<p>한국어<strong>(Korean)</strong>는 교착어다</p>\n",
    ),
    (
        "이것은**“강조”**다\n",
        "<p>이것은<strong>“강조”</strong>다</p>\n",
    ),
    (
        "그는**30%**를 가져갔다\n",
        "<p>그는<strong>30%</strong>를 가져갔다</p>\n",
    ),
    (
        "가격은**₩10,000**에 팔렸다\n",
        "<p>가격은<strong>₩10,000</strong>에 팔렸다</p>\n",
    ),
    (
        "**마크다운(Markdown)**을 **두 번(twice)**도 쓴다\n",
        "<p><strong>마크다운(Markdown)</strong>을 <strong>두 번(twice)</strong>도 쓴다</p>\n",
    ),
    (
        "*기울임(italic)*을 쓴다\n",
        "<p><em>기울임(italic)</em>을 쓴다</p>\n",
    ),
    (
        "*“인용”*이라는 표현\n",
        "<p><em>“인용”</em>이라는 표현</p>\n",
    ),
    (
        "***굵은 기울임(bold italic)***은 드물다\n",
        "<p><em><strong>굵은 기울임(bold italic)</strong></em>은 드물다</p>\n",
    ),
    (
        "**굵게 *기울임(italic)*도**를 섞는다\n",
        "<p><strong>굵게 <em>기울임(italic)</em>도</strong>를 섞는다</p>\n",
    ),
    (
        "~~취소선(strikethrough)~~이다\n",
        "<p><del>취소선(strikethrough)</del>이다</p>\n",
    ),
    (
        "~~“취소”~~라고 적었다\n",
        "<p><del>“취소”</del>라고 적었다</p>\n",
    ),
    (
        "~~50%~~가 아니라 40%다\n",
        "<p><del>50%</del>가 아니라 40%다</p>\n",
    ),
    (
        "이건~~(삭제)~~됨\n",
        "<p>이건<del>(삭제)</del>됨</p>\n",
    ),
    (
        "**괄호(안)**과 ~~취소(선)~~이 함께\n",
        "<p><strong>괄호(안)</strong>과 <del>취소(선)</del>이 함께</p>\n",
    ),
    (
        "## **요약(summary)**입니다\n",
        "<h2><strong>요약(summary)</strong>입니다</h2>\n",
    ),
    (
        "- **주의(caution)**를 기울인다\n",
        "<ul>\n<li><strong>주의(caution)</strong>를 기울인다</li>\n</ul>\n",
    ),
    (
        "> **인용(quote)**은 이렇게\n",
        "<blockquote>\n<p><strong>인용(quote)</strong>은 이렇게</p>\n</blockquote>\n",
    ),
    (
        "[**굵게(bold)**는 링크 안에서도](https://example.com)\n",
        "<p><a href=\"https://example.com\"><strong>굵게(bold)</strong>는 링크 안에서도</a></p>\n",
    ),
    (
        "각주도**(footnote)**는[^1] 된다\n",
        "<p>각주도<strong>(footnote)</strong>는[^1] 된다</p>\n",
    ),
    (
        "**줄바꿈(line)**은\n다음 줄의 **강조(bold)**도\n",
        "<p><strong>줄바꿈(line)</strong>은\n다음 줄의 <strong>강조(bold)</strong>도</p>\n",
    ),
    (
        "| 열 |\n|---|\n| **마크다운(Markdown)**을 |\n",
        "<table><thead><tr><th>열</th></tr></thead><tbody>\n<tr><td><strong>마크다운(Markdown)</strong>을</td></tr>\n</tbody></table>\n",
    ),
    (
        "**_굵은 기울임(bold italic)_**을 쓴다\n",
        "<p><strong><em>굵은 기울임(bold italic)</em></strong>을 쓴다</p>\n",
    ),
];

/// The same with and without the flag: emphasis CommonMark already allows, and what stays
/// literal on purpose (`_` and `__` never open or close inside a word, Korean or not; a single
/// `~` is not touched by the option, so ranges like `10~20` stay text).
const SAME_WITH_OR_WITHOUT: &[(&str, &str)] = &[
    (
        "가격은 **10,000원**입니다\n",
        "<p>가격은 <strong>10,000원</strong>입니다</p>\n",
    ),
    (
        "**Rust**는 빠르다\n",
        "<p><strong>Rust</strong>는 빠르다</p>\n",
    ),
    (
        "**v1.2.3**에서 고쳤다\n",
        "<p><strong>v1.2.3</strong>에서 고쳤다</p>\n",
    ),
    (
        "**2024년**에 시작했다\n",
        "<p><strong>2024년</strong>에 시작했다</p>\n",
    ),
    ("~~취소~~하고 다시\n", "<p><del>취소</del>하고 다시</p>\n"),
    ("_기울임_ 다음\n", "<p><em>기울임</em> 다음</p>\n"),
    ("문장 _(괄호)_ 다음\n", "<p>문장 <em>(괄호)</em> 다음</p>\n"),
    (
        "__밑줄 강조__는 안 된다\n",
        "<p>__밑줄 강조__는 안 된다</p>\n",
    ),
    ("__(괄호)__는 안 된다\n", "<p>__(괄호)__는 안 된다</p>\n"),
    ("_“인용”_이라는 말\n", "<p>_“인용”_이라는 말</p>\n"),
    (
        "** 공백 **은 강조가 아니다\n",
        "<p>** 공백 **은 강조가 아니다</p>\n",
    ),
    ("**강조 **다\n", "<p>**강조 **다</p>\n"),
    (
        "2*3=6이고 4*5=20이다\n",
        "<p>2<em>3=6이고 4</em>5=20이다</p>\n",
    ),
    ("10~20개, 30~40개\n", "<p>10~20개, 30~40개</p>\n"),
    ("안녕~ 반가워~\n", "<p>안녕~ 반가워~</p>\n"),
    ("~취소(선)~이다\n", "<p>~취소(선)~이다</p>\n"),
    (
        "**굵게 _기울임(italic)_ 섞기**를 한다\n",
        "<p><strong>굵게 <em>기울임(italic)</em> 섞기</strong>를 한다</p>\n",
    ),
];

/// With CommonMark's rules alone (ilji's options without the flag).
fn commonmark(markdown: &str) -> String {
    let without = options() - Options::ENABLE_CJK_FRIENDLY_EMPHASIS;
    to_html(Parser::new_ext(markdown, without), markdown.len())
}

#[test]
fn emphasis_before_a_particle_is_emphasis() {
    for (markdown, expected) in FIXED_BY_THE_FLAG {
        assert_eq!(render_fragment(markdown), *expected, "{markdown:?}");
        // The cases are ones CommonMark alone gets wrong.
        assert_ne!(commonmark(markdown), *expected, "{markdown:?}");
    }
}

#[test]
fn what_commonmark_already_reads_is_read_the_same() {
    for (markdown, expected) in SAME_WITH_OR_WITHOUT {
        assert_eq!(render_fragment(markdown), *expected, "{markdown:?}");
        assert_eq!(commonmark(markdown), *expected, "{markdown:?}");
    }
}

#[test]
fn a_readers_comment_gets_the_same_emphasis() {
    assert_eq!(
        render_untrusted("**마크다운(Markdown)**을 쓴다\n"),
        "<p><strong>마크다운(Markdown)</strong>을 쓴다</p>\n"
    );
}

/// The one change for text without Korean: `~~` follows emphasis's flanking rules, as on
/// GitHub, where pulldown-cmark 0.13.6 alone struck `word~~(…)~~` through.
#[test]
fn strikethrough_after_a_latin_word_needs_a_space_before_punctuation() {
    assert_eq!(
        render_fragment("Observability~~(관찰가능성)~~:"),
        "<p>Observability~~(관찰가능성)~~:</p>\n"
    );
    assert_eq!(
        render_fragment("Observability ~~(관찰가능성)~~:"),
        "<p>Observability <del>(관찰가능성)</del>:</p>\n"
    );
}
