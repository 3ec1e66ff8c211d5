//! What the benches share: the 40-line program both the check and the trainer benches time.

/// A kata's starter grown to 40 lines with more code of the kind `late-binding-closure` has.
pub fn forty_lines(starter: &str) -> String {
    let mut code = starter.trim_end().to_string();
    code.push_str("\n\n\ndef summarize(plan, verbose=False):\n");
    let mut n = 0;
    while code.lines().count() < 40 {
        code.push_str(&format!(
            "    total_{n} = sum(delay() for delay in plan[0])\n"
        ));
        n += 1;
    }
    code
}
