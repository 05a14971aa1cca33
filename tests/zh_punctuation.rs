//! Chinese strings in the code (labels, hints, messages) use full-width punctuation next to
//! Chinese characters, as the validator requires of tree texts.

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

#[test]
fn chinese_literals_use_full_width_punctuation() {
    let mut files = Vec::new();
    rust_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests may hold bad text on purpose.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let chars: Vec<char> = line.chars().collect();
            for pair in chars.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let ascii = |c: char| ":,?();!".contains(c);
                if (is_cjk(a) && ascii(b)) || (ascii(a) && is_cjk(b)) {
                    problems.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "ASCII punctuation next to Chinese:\n{}",
        problems.join("\n")
    );
}
