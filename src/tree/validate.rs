//! Checks a loaded tree against itself and the assets: every problem, not just the first.

use super::{At, Items, Node, Tree};
use crate::assets::validate::{check_text, is_valid_id};
use crate::assets::{Assets, Provider};
use crate::diag::{Diagnostic, Span};
use crate::expr::Kind;
use crate::text::{Text, placeholders};
use fixedbitset::FixedBitSet;
use std::collections::{HashMap, HashSet};
use strum::IntoEnumIterator;

/// A parsed expression and the variables it reads.
pub fn parse_expression(source: &str) -> Result<Vec<String>, String> {
    crate::expr::reads(&crate::expr::parse(source)?)
}

/// A variable name usable in expressions.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn validate_tree(tree: &Tree, assets: &Assets, max_nodes: usize) -> Vec<Diagnostic> {
    let mut v = Validator {
        tree,
        assets,
        out: Vec::new(),
        reads: HashMap::new(),
        kinds: HashMap::new(),
    };
    if tree.nodes.len() > max_nodes {
        v.out.push(Diagnostic::error(
            tree.start.span,
            format!(
                "the tree has {} nodes, over the limit of {max_nodes}",
                tree.nodes.len()
            ),
        ));
        return v.out;
    }
    v.check_header();
    v.infer_kinds();
    for (id, node) in tree.nodes.iter() {
        v.check_node(id, &node.value);
    }
    v.check_declared_set();
    let reachable = v.check_reachable();
    if let Some(order) = v.check_cycles(&reachable) {
        v.check_variables(&order);
    }
    v.out.sort_by_key(|d| d.span);
    v.out
}

struct Validator<'a> {
    tree: &'a Tree,
    assets: &'a Assets,
    out: Vec<Diagnostic>,
    /// The variables each expression reads, parsed once by `check_expression` (`None`: it does
    /// not parse) and looked up by the variables check.
    reads: HashMap<*const super::Expr, Option<Vec<String>>>,
    /// What each variable holds, from where it is set (`Unknown` where sets disagree).
    kinds: HashMap<String, Kind>,
}

impl Validator<'_> {
    fn error(&mut self, span: Span, message: String) {
        self.out.push(Diagnostic::error(span, message));
    }

    fn text(&mut self, text: &Text, span: Span, field: &str) {
        check_text(text, span, field, &mut self.out);
    }

    fn check_header(&mut self) {
        let tree = self.tree;
        if !is_valid_id(&tree.id.value) {
            self.error(
                tree.id.span,
                format!("tree id `{}` is not kebab-case", tree.id.value),
            );
        }
        self.text(&tree.title, tree.id.span, "title");
        for (name, decl) in &tree.variables {
            self.check_var_name(name, decl.span);
            self.text(&decl.value.label, decl.span, "label");
            if let Some(unit) = &decl.value.unit {
                self.text(unit, decl.span, "unit");
            }
            for word in decl.value.values.values() {
                self.text(word, decl.span, "values");
            }
        }
        if let Some(d) = &tree.description {
            self.text(d, tree.id.span, "description");
        }
        if tree.nodes.get(&tree.start.value).is_none() {
            self.out.push(
                Diagnostic::error(
                    tree.start.span,
                    format!(
                        "`start` names `{}`, which no node defines",
                        tree.start.value
                    ),
                )
                .with_hint("`start` must be the id of a node under `nodes`"),
            );
        }
    }

    fn check_target(&mut self, from: &str, target: &At<String>) {
        if self.tree.nodes.get(&target.value).is_none() {
            let mut diag = Diagnostic::error(
                target.span,
                format!(
                    "`next` of `{from}` leads to `{}`, which no node defines",
                    target.value
                ),
            );
            if let Some(close) = self.closest_node_id(&target.value) {
                diag = diag.with_hint(format!("did you mean `{close}`?"));
            }
            self.out.push(diag);
        }
    }

    fn closest_node_id(&self, wanted: &str) -> Option<&str> {
        self.tree
            .nodes
            .iter()
            .map(|(id, _)| id.value.as_str())
            .filter(|id| id.contains(wanted) || wanted.contains(id))
            .min_by_key(|id| id.len().abs_diff(wanted.len()))
    }

    fn check_terms(&mut self, terms: &[At<String>]) {
        for term in terms {
            if self.assets.term(&term.value).is_none() {
                self.error(term.span, format!("unknown glossary term `{}`", term.value));
            }
        }
    }

    fn check_var_name(&mut self, name: &str, span: Span) {
        if !is_identifier(name) {
            self.error(
                span,
                format!("variable name `{name}` is not an identifier (letters, digits, `_`)"),
            );
        }
    }

    fn check_expression(&mut self, expr: &At<super::Expr>) -> Kind {
        let parsed = crate::expr::parse(&expr.value);
        let (reads, kind) = match &parsed {
            Err(message) => {
                self.error(
                    expr.span,
                    format!("expression `{}` does not parse: {message}", expr.value),
                );
                (None, Kind::Unknown)
            }
            Ok(node) => {
                let reads = match crate::expr::reads(node) {
                    Ok(r) => Some(r),
                    Err(message) => {
                        self.error(expr.span, format!("expression `{}`: {message}", expr.value));
                        None
                    }
                };
                let kinds = &self.kinds;
                let kind = crate::expr::kind_of(node, &|name| {
                    kinds.get(name).copied().unwrap_or(Kind::Unknown)
                });
                match kind {
                    Ok(k) => (reads, k),
                    Err(message) => {
                        self.error(
                            expr.span,
                            format!("expression `{}` cannot work: {message}", expr.value),
                        );
                        (reads, Kind::Unknown)
                    }
                }
            }
        };
        self.reads.insert(&expr.value, reads);
        kind
    }

    /// A condition (`if`, `when`): it must parse and give true or false.
    fn check_condition(&mut self, expr: &At<super::Expr>, what: &str) {
        let kind = self.check_expression(expr);
        if matches!(kind, Kind::Number | Kind::Str) {
            self.error(
                expr.span,
                format!(
                    "{what} `{}` gives {}, not true or false",
                    expr.value,
                    kind.describe()
                ),
            );
        }
    }

    /// The kind of every variable, from the values choices set, number questions (numbers)
    /// and computes (the kind of their expression, in file order).
    fn infer_kinds(&mut self) {
        let mut kinds: HashMap<String, Kind> = HashMap::new();
        let merge = |kinds: &mut HashMap<String, Kind>, name: &str, kind: Kind| {
            let entry = kinds.entry(name.to_string()).or_insert(kind);
            if *entry != kind {
                *entry = Kind::Unknown;
            }
        };
        for (_, node) in self.tree.nodes.iter() {
            match &node.value {
                Node::Question(q) => {
                    for c in &q.choices {
                        for (name, value) in &c.value.set {
                            merge(&mut kinds, name, Kind::of(&value.value));
                        }
                    }
                }
                Node::Number(n) => merge(&mut kinds, &n.var.value, Kind::Number),
                _ => {}
            }
        }
        // Computes may read each other: two rounds settle chains written in any order.
        for _ in 0..2 {
            for (_, node) in self.tree.nodes.iter() {
                if let Node::Compute(c) = &node.value {
                    for (name, expr) in &c.set {
                        let kind = crate::expr::parse(&expr.value)
                            .ok()
                            .and_then(|p| {
                                crate::expr::kind_of(&p, &|n| {
                                    kinds.get(n).copied().unwrap_or(Kind::Unknown)
                                })
                                .ok()
                            })
                            .unwrap_or(Kind::Unknown);
                        if kind != Kind::Unknown {
                            kinds.insert(name.clone(), kind);
                        }
                    }
                }
            }
        }
        for (name, kind) in crate::recommend::BUILTINS {
            kinds.insert(name.to_string(), kind);
        }
        self.kinds = kinds;
    }

    /// A declared variable that nothing sets is a mistake in the declarations.
    fn check_declared_set(&mut self) {
        let mut set: HashSet<&str> = HashSet::new();
        for (_, node) in self.tree.nodes.iter() {
            match &node.value {
                Node::Question(q) => {
                    for c in &q.choices {
                        set.extend(c.value.set.keys().map(String::as_str));
                    }
                }
                Node::Number(n) => {
                    set.insert(&n.var.value);
                }
                Node::Compute(c) => set.extend(c.set.keys().map(String::as_str)),
                _ => {}
            }
        }
        for (name, decl) in &self.tree.variables {
            if !set.contains(name.as_str()) {
                self.out.push(Diagnostic::warning(
                    decl.span,
                    format!("variable `{name}` is declared but never set"),
                ));
            }
        }
    }

    /// The items of a result list: each `when` a condition, each advice id known, each text
    /// checked.
    fn check_items(&mut self, items: &Items, bare_is_advice: bool, field: &str, span: Span) {
        for item in items.iter() {
            let item_span = if item.span == Span::UNKNOWN {
                span
            } else {
                item.span
            };
            if let Some(when) = &item.value.when {
                self.check_condition(when, "`when`");
            }
            if let Some(advice_id) = item.value.advice_id(bare_is_advice) {
                if self.assets.advice(advice_id).is_none() {
                    self.error(
                        item_span,
                        format!(
                            "unknown advice `{advice_id}`: assets/advice.yaml has no advice with this id"
                        ),
                    );
                }
            } else if let Some(text) = item.value.inline(bare_is_advice) {
                self.text(&text, item_span, field);
            }
        }
    }

    fn check_node(&mut self, id: &At<String>, node: &Node) {
        let span = id.span;
        if !is_valid_id(&id.value) {
            self.error(span, format!("node id `{}` is not kebab-case", id.value));
        }
        for target in node.targets() {
            self.check_target(&id.value, target);
        }
        match node {
            Node::Question(q) => {
                self.text(&q.ask, span, "ask");
                self.text(&q.why, span, "why");
                self.check_terms(&q.terms);
                if q.choices.is_empty() {
                    self.error(span, format!("question `{}` has no choices", id.value));
                }
                let mut seen = HashSet::new();
                for choice in &q.choices {
                    let c = &choice.value;
                    if !seen.insert(c.id.value.as_str()) {
                        self.error(
                            c.id.span,
                            format!(
                                "duplicate choice id `{}` in question `{}`",
                                c.id.value, id.value
                            ),
                        );
                    }
                    if !is_valid_id(&c.id.value) {
                        self.error(
                            c.id.span,
                            format!("choice id `{}` is not kebab-case", c.id.value),
                        );
                    }
                    self.text(&c.label, c.id.span, "label");
                    if let Some(hint) = &c.hint {
                        self.text(hint, c.id.span, "hint");
                    }
                    for (name, value) in &c.set {
                        self.check_var_name(name, value.span);
                    }
                }
            }
            Node::Number(n) => {
                self.text(&n.ask, span, "ask");
                self.text(&n.why, span, "why");
                self.text(&n.unit, span, "unit");
                self.check_terms(&n.terms);
                self.check_var_name(&n.var.value, n.var.span);
                if !(n.min.value.is_finite() && n.max.value.is_finite()) {
                    self.error(n.min.span, "`min` and `max` must be finite numbers".into());
                } else if n.min.value > n.max.value {
                    self.error(
                        n.min.span,
                        format!(
                            "`min` ({}) is greater than `max` ({})",
                            n.min.value, n.max.value
                        ),
                    );
                }
                if n.integer && n.min.value.ceil() > n.max.value.floor() {
                    self.error(
                        n.min.span,
                        format!(
                            "`integer: true`, but no whole number lies between {} and {}",
                            fmt_num(n.min.value),
                            fmt_num(n.max.value)
                        ),
                    );
                }
                if let Some(default) = &n.default {
                    match default.value.trim().parse::<f64>() {
                        Ok(value) if !(n.min.value..=n.max.value).contains(&value) => {
                            self.error(
                                default.span,
                                format!(
                                    "default {} is outside the range {} to {}",
                                    fmt_num(value),
                                    fmt_num(n.min.value),
                                    fmt_num(n.max.value)
                                ),
                            );
                        }
                        Ok(value) if n.integer && value.fract() != 0.0 => self.error(
                            default.span,
                            format!(
                                "default {} is not a whole number, but the question takes whole numbers",
                                fmt_num(value)
                            ),
                        ),
                        Ok(_) => {
                            self.check_expression(default);
                        }
                        Err(_) => {
                            if matches!(self.check_expression(default), Kind::Bool | Kind::Str) {
                                self.error(
                                    default.span,
                                    format!("default `{}` does not give a number", default.value),
                                );
                            }
                        }
                    }
                }
            }
            Node::Compute(c) => {
                if let Some(note) = &c.note {
                    self.text(note, span, "note");
                }
                if c.set.is_empty() {
                    self.error(span, format!("compute `{}` sets nothing", id.value));
                }
                for (name, expr) in &c.set {
                    self.check_var_name(name, expr.span);
                    self.check_expression(expr);
                }
            }
            Node::Branch(b) => {
                for when in &b.when {
                    self.check_condition(&when.value.condition, "condition");
                    if let Some(note) = &when.value.note {
                        self.text(note, when.span, "note");
                    }
                }
                if b.otherwise.is_none() {
                    self.out.push(
                        Diagnostic::error(
                            span,
                            format!(
                                "a path can end without a result: when no condition of branch `{}` holds, it has nowhere to go",
                                id.value
                            ),
                        )
                        .with_hint("add `otherwise: <node id>`"),
                    );
                }
            }
            Node::Result(r) => self.check_result(id, r),
        }
    }

    fn check_result(&mut self, id: &At<String>, r: &super::Outcome) {
        let span = id.span;
        self.text(&r.summary, span, "summary");
        self.check_items(&r.rationale, false, "rationale", span);
        self.check_items(&r.next_steps, false, "next_steps", span);
        self.check_items(&r.pitfalls, true, "pitfalls", span);
        self.check_items(&r.cost, true, "cost", span);
        if let Some(pricing) = &r.pricing {
            for e in pricing.exprs() {
                if matches!(self.check_expression(e), Kind::Bool | Kind::Str) {
                    self.error(
                        e.span,
                        format!("`pricing` expression `{}` does not give a number", e.value),
                    );
                }
            }
            if let Some(note) = &pricing.note {
                self.text(note, span, "pricing note");
            }
        }
        for gpu in &r.memory_gpus {
            if self.assets.catalog().gpu(&gpu.value).is_none() {
                self.error(
                    gpu.span,
                    format!(
                        "unknown GPU `{}`: assets/catalog.yaml has no GPU with this id",
                        gpu.value
                    ),
                );
            }
        }
        if let Some(var) = &r.memory_need
            && matches!(self.kinds.get(&var.value), Some(Kind::Bool | Kind::Str))
        {
            self.error(
                var.span,
                format!("`memory_need` names `{}`, which is not a number", var.value),
            );
        }
        for name in r.show.iter().chain(&r.memory_need) {
            if !self.tree.variables.contains_key(&name.value) {
                self.out.push(
                    Diagnostic::error(
                        name.span,
                        format!("result `{}` shows variable `{}`, which `variables` does not declare", id.value, name.value),
                    )
                    .with_hint("declare it under `variables:` with a label (and a unit), so a person reads words, not a name"),
                );
            }
        }
        let mut covered: HashSet<Provider> = HashSet::new();
        for family in &r.families {
            match self.assets.catalog().family(&family.value) {
                Some(f) => {
                    covered.insert(f.provider);
                }
                None => self.error(
                    family.span,
                    format!(
                        "unknown family `{}`: assets/catalog.yaml has no family with this id",
                        family.value
                    ),
                ),
            }
        }
        for (provider, text) in &r.no_equivalent {
            self.text(text, span, "no_equivalent");
            if covered.contains(provider) {
                self.out.push(Diagnostic::warning(
                    span,
                    format!("`{provider}` is listed both with a family and under `no_equivalent`"),
                ));
            }
            covered.insert(*provider);
        }
        let missing: Vec<String> = Provider::iter()
            .filter(|p| !covered.contains(p))
            .map(|p| p.to_string())
            .collect();
        if !missing.is_empty() {
            self.out.push(
                Diagnostic::warning(
                    span,
                    format!(
                        "result `{}` names no family for {}",
                        id.value,
                        missing.join(", ")
                    ),
                )
                .with_hint("add a family, or say why under `no_equivalent`"),
            );
        }
        if self.assets.pattern(&r.pattern.value).is_none() {
            self.error(
                r.pattern.span,
                format!(
                    "unknown pattern `{}`: assets/patterns.yaml has no pattern with this id",
                    r.pattern.value
                ),
            );
        }
    }

    /// Nodes that no path from `start` reaches are mistakes: unreachable content never shows.
    fn check_reachable(&mut self) -> Vec<bool> {
        let nodes = &self.tree.nodes;
        let mut reachable = vec![false; nodes.len()];
        let mut stack: Vec<usize> = nodes.position(&self.tree.start.value).into_iter().collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut reachable[i], true) {
                continue;
            }
            for target in nodes.entries[i].1.value.targets() {
                if let Some(j) = nodes.position(&target.value) {
                    stack.push(j);
                }
            }
        }
        if nodes.position(&self.tree.start.value).is_some() {
            for (i, (id, _)) in nodes.iter().enumerate() {
                if !reachable[i] {
                    self.out.push(
                        Diagnostic::error(
                            id.span,
                            format!("node `{}` is unreachable from `start`", id.value),
                        )
                        .with_hint("link to it from another node, or delete it"),
                    );
                }
            }
        }
        reachable
    }

    /// Reports each link that closes a cycle; returns a topological order when there is none.
    fn check_cycles(&mut self, reachable: &[bool]) -> Option<Vec<usize>> {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let nodes = &self.tree.nodes;
        let edges: Vec<Vec<(usize, Span)>> = nodes
            .entries
            .iter()
            .map(|(_, n)| {
                n.value
                    .targets()
                    .into_iter()
                    .filter_map(|t| nodes.position(&t.value).map(|j| (j, t.span)))
                    .collect()
            })
            .collect();
        let mut color = vec![WHITE; nodes.len()];
        let mut post_order = Vec::with_capacity(nodes.len());
        let mut found_cycle = false;
        for root in 0..nodes.len() {
            if color[root] != WHITE || !reachable[root] {
                continue;
            }
            // Iterative depth-first search: a 100k-node chain must not overflow the stack.
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            color[root] = GREY;
            while let Some(&mut (node, ref mut next_edge)) = stack.last_mut() {
                if let Some(&(target, span)) = edges[node].get(*next_edge) {
                    *next_edge += 1;
                    match color[target] {
                        WHITE => {
                            color[target] = GREY;
                            stack.push((target, 0));
                        }
                        GREY => {
                            found_cycle = true;
                            self.out.push(
                                Diagnostic::error(
                                    span,
                                    format!(
                                        "cycle: `{}` leads back to `{}`",
                                        nodes.id_at(node),
                                        nodes.id_at(target)
                                    ),
                                )
                                .with_hint("a tree must always move forward to a result"),
                            );
                        }
                        _ => {}
                    }
                } else {
                    color[node] = BLACK;
                    post_order.push(node);
                    stack.pop();
                }
            }
        }
        if found_cycle {
            return None;
        }
        post_order.reverse();
        Some(post_order)
    }

    /// Every variable an expression or text reads must be set on every path that reaches it.
    /// Sets of variables are bitsets over interned names, so a long chain of nodes that each
    /// add a variable stays fast.
    fn check_variables(&mut self, order: &[usize]) {
        let nodes = &self.tree.nodes;
        let mut vars = Interner::default();
        let mut incoming: Vec<Option<FixedBitSet>> = vec![None; nodes.len()];
        if let Some(start) = nodes.position(&self.tree.start.value) {
            incoming[start] = Some(FixedBitSet::new());
        }
        for &i in order {
            let Some(known) = incoming[i].take() else {
                continue;
            };
            let (id, node) = &nodes.entries[i];
            let mut flows: Vec<(&str, FixedBitSet)> = Vec::new();
            let with = |set: &FixedBitSet,
                        names: &mut dyn Iterator<Item = &String>,
                        vars: &mut Interner| {
                let mut set = set.clone();
                for name in names {
                    let bit = vars.id(name);
                    set.grow(bit + 1);
                    set.insert(bit);
                }
                set
            };
            match &node.value {
                Node::Question(q) => {
                    for choice in &q.choices {
                        let set = with(&known, &mut choice.value.set.keys(), &mut vars);
                        flows.push((&choice.value.next.value, set));
                    }
                }
                Node::Number(n) => {
                    if let Some(default) = &n.default {
                        self.check_reads(&id.value, default, &known, &vars);
                    }
                    let set = with(&known, &mut std::iter::once(&n.var.value), &mut vars);
                    flows.push((&n.next.value, set));
                }
                Node::Compute(c) => {
                    let mut set = known.clone();
                    for (name, expr) in &c.set {
                        self.check_reads(&id.value, expr, &set, &vars);
                        set = with(&set, &mut std::iter::once(name), &mut vars);
                    }
                    flows.push((&c.next.value, set));
                }
                Node::Branch(b) => {
                    for when in &b.when {
                        let cond = &when.value.condition;
                        self.check_reads(&id.value, cond, &known, &vars);
                        flows.push((&when.value.next.value, known.clone()));
                    }
                    if let Some(otherwise) = &b.otherwise {
                        flows.push((&otherwise.value, known.clone()));
                    }
                }
                Node::Result(r) => {
                    let mut known = known.clone();
                    for (name, _) in crate::recommend::BUILTINS {
                        let bit = vars.id(name);
                        known.grow(bit + 1);
                        known.insert(bit);
                    }
                    self.check_result_reads(&id.value, r, &known, &vars)
                }
            }
            for (target, set) in flows {
                if let Some(j) = nodes.position(target) {
                    incoming[j] = Some(match incoming[j].take() {
                        None => set,
                        Some(mut existing) => {
                            existing.intersect_with(&set);
                            existing
                        }
                    });
                }
            }
        }
    }

    fn check_reads(
        &mut self,
        node: &str,
        expr: &At<super::Expr>,
        known: &FixedBitSet,
        vars: &Interner,
    ) {
        let span = expr.span;
        let Some(Some(reads)) = self.reads.get(&(&expr.value as *const super::Expr)) else {
            return; // does not parse: already reported by check_expression
        };
        let missing: Vec<String> = reads
            .iter()
            .filter(|var| !vars.is_in(var, known))
            .cloned()
            .collect();
        for var in missing {
            self.out.push(
                Diagnostic::error(
                    span,
                    format!(
                        "`{node}` reads variable `{var}`, which is not set on every path to it"
                    ),
                )
                .with_hint(
                    "set it on every earlier path (choice `set`, a number's `var`, or a compute)",
                ),
            );
        }
    }

    fn check_result_reads(
        &mut self,
        node: &str,
        r: &super::Outcome,
        known: &FixedBitSet,
        vars: &Interner,
    ) {
        let assets = self.assets;
        let mut texts: Vec<Text> = vec![r.summary.clone()];
        let mut conditions: Vec<&At<super::Expr>> = Vec::new();
        let lists = [
            (&r.rationale, false),
            (&r.next_steps, false),
            (&r.pitfalls, true),
            (&r.cost, true),
        ];
        for (items, bare_is_advice) in lists {
            for item in items.iter() {
                conditions.extend(&item.value.when);
                match item.value.advice_id(bare_is_advice) {
                    Some(id) => {
                        if let Some(advice) = assets.advice(id) {
                            texts.push(advice.text.clone());
                            if let Some(applies) = &advice.applies {
                                self.check_applies(node, id, applies, known, vars);
                            }
                        }
                    }
                    None => texts.extend(item.value.inline(bare_is_advice)),
                }
            }
        }
        for (_, reason) in &r.no_equivalent {
            texts.push(reason.clone());
        }
        if let Some(pricing) = &r.pricing {
            conditions.extend(pricing.exprs());
            texts.extend(pricing.note.clone());
        }
        for condition in conditions {
            self.check_reads(node, condition, known, vars);
        }
        if texts
            .iter()
            .any(|t| t.variants().any(crate::text::has_lone_brace))
        {
            self.error(
                self.node_span(node),
                format!(
                    "result `{node}` has a `{{` or `}}` that is not a `{{name}}` placeholder: write `{{{{` or `}}}}` for a literal brace"
                ),
            );
        }
        let mut shown: Vec<String> = texts
            .iter()
            .flat_map(|t| {
                t.variants()
                    .flat_map(placeholders)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        shown.sort();
        shown.dedup();
        for name in shown {
            if !self.tree.variables.contains_key(&name) {
                self.error(
                    self.node_span(node),
                    format!(
                        "result `{node}` shows `{{{name}}}`, which `variables` does not declare"
                    ),
                );
            } else if !vars.is_in(&name, known) {
                self.error(
                    self.node_span(node),
                    format!(
                        "result `{node}` shows `{{{name}}}`, which is not set on every path to it"
                    ),
                );
            }
        }
        for var in r.memory_need.iter().chain(&r.show) {
            if !vars.is_in(&var.value, known) {
                self.error(
                    var.span,
                    format!(
                        "result `{node}` uses variable `{}`, which is not set on every path to it",
                        var.value
                    ),
                );
            }
        }
    }

    /// An advice's `applies` reads variables that this tree must set on every path to `node`.
    fn check_applies(
        &mut self,
        node: &str,
        advice: &str,
        applies: &At<super::Expr>,
        known: &FixedBitSet,
        vars: &Interner,
    ) {
        let Ok(reads) = parse_expression(&applies.value) else {
            return; // reported by the assets check
        };
        for var in reads.iter().filter(|v| !vars.is_in(v, known)) {
            self.out.push(
                Diagnostic::error(
                    self.node_span(node),
                    format!(
                        "result `{node}` cites advice `{advice}`, whose `applies: {}` reads `{var}`, which is not set on every path to it",
                        applies.value
                    ),
                )
                .with_hint(format!("set `{var}` on every path to `{node}`, or cite the advice with a `when`")),
            );
        }
    }

    fn node_span(&self, node: &str) -> Span {
        self.tree
            .nodes
            .position(node)
            .map(|i| self.tree.nodes.entries[i].0.span)
            .unwrap_or(Span::UNKNOWN)
    }
}

/// A range limit or value as written (1e300, not 301 digits).
fn fmt_num(n: f64) -> String {
    crate::engine::format_number_exact(n)
}

/// Variable names as small numbers, for bitsets.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, usize>,
}

impl Interner {
    fn id(&mut self, name: &str) -> usize {
        let next = self.ids.len();
        *self.ids.entry(name.to_string()).or_insert(next)
    }

    fn is_in(&self, name: &str, set: &FixedBitSet) -> bool {
        self.ids.get(name).is_some_and(|&bit| set.contains(bit))
    }
}
