//! A page's character set: the HTTP header, a byte-order mark, `<meta
//! charset>` in the first 1024 bytes (as browsers prescan), then detection
//! (chardetng) when nothing is declared or the declaration does not decode;
//! a page that is UTF-8 but for a few stray bytes is read as UTF-8 with
//! those bytes as windows-1252.

use encoding_rs::Encoding;

use crate::ExtractError;

/// A page's text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub warnings: Vec<String>,
}

/// Decodes a page. Rejects bytes that are plainly not text (NUL bytes in
/// the head, as images, PDFs and archives have).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Result<Decoded, ExtractError> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.contains(&0) && Encoding::for_bom(bytes).is_none() {
        return Err(ExtractError::NotHtml("binary bytes"));
    }
    let mut warnings = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: enc,
            warnings,
        });
    }
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(head_window(bytes)));
    if let Some(enc) = declared {
        // A page in UTF-16 cannot declare it in ASCII meta; browsers read
        // such a declaration as UTF-8.
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        };

        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(Decoded {
                text: text.into_owned(),
                encoding: enc,
                warnings,
            });
        }
        warnings.push(format!(
            "declared charset {} does not decode the page; detected instead",
            enc.name()
        ));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: encoding_rs::UTF_8,
            warnings,
        });
    }
    if let Some(text) = mixed_utf8(bytes) {
        warnings.push("UTF-8 page with stray windows-1252 bytes".to_string());
        return Ok(Decoded {
            text,
            encoding: encoding_rs::UTF_8,
            warnings,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: enc,
        warnings,
    })
}

/// A page in UTF-8 with a few bytes of another encoding pasted in (a
/// template in UTF-8, an article body in Latin-1): UTF-8 where it is valid,
/// windows-1252 for the stray bytes. `None` unless valid multi-byte
/// sequences outnumber the invalid bytes, i.e. the page is mostly UTF-8;
/// decoding it all as windows-1252 would garble every valid sequence, and
/// all as UTF-8 would lose the stray letters.
fn mixed_utf8(bytes: &[u8]) -> Option<String> {
    let mut text = String::with_capacity(bytes.len());
    let (mut valid_multi, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multi += s.bytes().filter(|b| *b >= 0xC0).count();
                text.push_str(s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                // Valid UTF-8 by construction: from_utf8 said so.
                let good = std::str::from_utf8(good).unwrap_or_default();
                valid_multi += good.bytes().filter(|b| *b >= 0xC0).count();
                text.push_str(good);
                let n = e.error_len().unwrap_or(bad.len()).max(1).min(bad.len());
                let (stray, after) = bad.split_at(n);
                invalid += stray.len();
                text.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(stray)
                        .0,
                );
                rest = after;
            }
        }
    }
    (invalid > 0 && valid_multi > invalid).then_some(text)
}

fn head_window(bytes: &[u8]) -> &[u8] {
    // Browsers prescan 1024 bytes; real pages put long scripts and
    // comments first often enough that a wider window pays.
    &bytes[..bytes.len().min(4096)]
}

/// The `charset=` parameter of a Content-Type value.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let value = lower[at + 8..]
        .trim_start_matches(['"', '\''])
        .split([';', '"', '\'', ' '])
        .next()?;
    Encoding::for_label(value.as_bytes())
}

/// `<meta charset=X>` or `<meta http-equiv=Content-Type content="...;
/// charset=X">` in the page's head bytes.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"charset") {
        let mut i = from + at + 7;
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let end = lower[i..]
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'>' | b'/'))
            .map_or(lower.len(), |p| i + p);
        if let Some(enc) = Encoding::for_label(&lower[i..end]) {
            return Some(enc);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_meta_then_detection() {
        let latin =
            b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        assert!(decode(latin, None).unwrap().text.contains("café"));
        let undeclared = b"<p>Gr\xfc\xdfe aus M\xfcnchen, sch\xf6ne Stra\xdfe</p>";
        assert!(decode(undeclared, None).unwrap().text.contains("Grüße"));
        let euc_kr = encoding_rs::EUC_KR.encode("<p>로동신문 조선중앙통신</p>").0;
        let decoded = decode(&euc_kr, Some("text/html; charset=EUC-KR")).unwrap();
        assert!(decoded.text.contains("로동신문"));
        assert_eq!(decoded.encoding, encoding_rs::EUC_KR);
        let undeclared = decode(&euc_kr, None).unwrap();
        assert!(undeclared.text.contains("로동신문"), "{}", undeclared.text);
    }

    #[test]
    fn utf8_with_stray_latin1() {
        let mixed = "<p>Grüße aus München, schöne Straße</p>\n<p>Caf"
            .bytes()
            .chain(*b"\xe9 cr\xe8me</p>")
            .collect::<Vec<u8>>();
        let decoded = decode(&mixed, Some("text/html; charset=utf-8")).unwrap();
        assert!(
            decoded.text.contains("Grüße aus München"),
            "{}",
            decoded.text
        );
        assert!(decoded.text.contains("Café crème"), "{}", decoded.text);
        let decoded = decode(&mixed, None).unwrap();
        assert!(
            decoded.text.contains("Grüße aus München"),
            "{}",
            decoded.text
        );
    }

    #[test]
    fn binary_is_not_html() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None).unwrap_err(),
            ExtractError::NotHtml("binary bytes")
        );
    }
}
