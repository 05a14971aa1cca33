//! Expressions in trees: parsed once, with one number type, evaluated against a walk's variables.
//!
//! evalexpr reads `2` as an integer and `2.0` as a float, and an integer never equals a float
//! (`Int(2) == Float(2.0)` is false), while every answer is a float. So every integer literal is
//! turned into a float when the expression is parsed: `x == 2`, `x != 2` and `7 / 2` then mean
//! what a reader expects.

use crate::tree::Scalar;
use evalexpr::{
    ContextWithMutableVariables, DefaultNumericTypes, HashMapContext, Node, Operator, Value,
};
use indexmap::IndexMap;

/// A parsed expression.
pub type Parsed = Node<DefaultNumericTypes>;

/// How many parsed expressions the cache keeps before it starts again: far more than the shipped
/// trees hold, and a bound for user trees and fuzzed input.
const CACHE_LIMIT: usize = 8192;

/// [`parse`], once per expression and process: a walk evaluates the same conditions and
/// formulas again and again (every result build, every session of the server).
pub fn parse_cached(source: &str) -> Result<std::sync::Arc<Parsed>, String> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<HashMap<String, Result<Arc<Parsed>, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let lock = || {
        cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some(hit) = lock().get(source) {
        return hit.clone();
    }
    let parsed = parse(source).map(Arc::new);
    let mut map = lock();
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(source.to_string(), parsed.clone());
    parsed
}

/// Parses an expression, with every integer literal read as a float.
pub fn parse(source: &str) -> Result<Parsed, String> {
    let mut node =
        evalexpr::build_operator_tree::<DefaultNumericTypes>(source).map_err(|e| e.to_string())?;
    floats_only(&mut node);
    Ok(node)
}

fn floats_only(node: &mut Parsed) {
    if let Operator::Const {
        value: Value::Int(i),
    } = node.operator()
    {
        let float = *i as f64;
        *node.operator_mut() = Operator::Const {
            value: Value::Float(float),
        };
    }
    for child in node.children_mut() {
        floats_only(child);
    }
}

/// The variables an expression reads; an error if it assigns any.
pub fn reads(node: &Parsed) -> Result<Vec<String>, String> {
    let reads: Vec<String> = node
        .iter_read_variable_identifiers()
        .map(str::to_string)
        .collect();
    if node.iter_variable_identifiers().count() != reads.len() {
        return Err("expressions may read variables but not assign them".to_string());
    }
    Ok(reads)
}

/// Evaluates a parsed expression against variables. Errors are messages a person can act on.
pub fn eval(node: &Parsed, vars: &IndexMap<String, Scalar>) -> Result<Scalar, String> {
    let mut context = HashMapContext::<DefaultNumericTypes>::new();
    for (name, value) in vars {
        let value = match value {
            Scalar::Number(n) => Value::Float(*n),
            Scalar::Bool(b) => Value::Boolean(*b),
            Scalar::Str(s) => Value::String(s.clone()),
        };
        context
            .set_value(name.clone(), value)
            .map_err(|e| e.to_string())?;
    }
    match node
        .eval_with_context(&context)
        .map_err(|e| e.to_string())?
    {
        Value::Float(f) if f.is_finite() => Ok(Scalar::Number(f)),
        Value::Float(f) if f.is_nan() => Err("gave no number (0 / 0 or similar)".to_string()),
        Value::Float(_) => Err("gave an infinite number (a division by zero?)".to_string()),
        Value::Int(i) => Ok(Scalar::Number(i as f64)),
        Value::Boolean(b) => Ok(Scalar::Bool(b)),
        Value::String(s) => Ok(Scalar::Str(s)),
        Value::Empty => Err("gave nothing".to_string()),
        Value::Tuple(_) => Err("gave a list of values, not one value".to_string()),
    }
}

/// What an expression gives, as far as it can be told without running it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Number,
    Bool,
    Str,
    Unknown,
}

impl Kind {
    pub fn of(value: &Scalar) -> Kind {
        match value {
            Scalar::Number(_) => Kind::Number,
            Scalar::Bool(_) => Kind::Bool,
            Scalar::Str(_) => Kind::Str,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Bool => "true or false",
            Kind::Str => "a string",
            Kind::Unknown => "a value",
        }
    }
}

/// The kind an expression gives, from its operators and the kinds of the variables it reads.
/// `Err` names an operation that cannot work (string arithmetic such as `"a" + x`).
pub fn kind_of(node: &Parsed, var: &dyn Fn(&str) -> Kind) -> Result<Kind, String> {
    let children = node.children();
    let child = |i: usize| -> Result<Kind, String> {
        children
            .get(i)
            .map(|c| kind_of(c, var))
            .unwrap_or(Ok(Kind::Unknown))
    };
    let numeric = |op: &str| -> Result<Kind, String> {
        for i in 0..children.len() {
            let k = child(i)?;
            if matches!(k, Kind::Str | Kind::Bool) {
                return Err(format!(
                    "`{op}` needs numbers, but one side is {}",
                    k.describe()
                ));
            }
        }
        Ok(Kind::Number)
    };
    match node.operator() {
        Operator::RootNode => match children.len() {
            1 => child(0),
            _ => Ok(Kind::Unknown),
        },
        Operator::Add => {
            let (a, b) = (child(0)?, child(1)?);
            match (a, b) {
                (Kind::Str, Kind::Str) => Ok(Kind::Str),
                (Kind::Str, _) | (_, Kind::Str) | (Kind::Bool, _) | (_, Kind::Bool) => {
                    Err(format!(
                        "`+` adds numbers, but got {} and {}",
                        a.describe(),
                        b.describe()
                    ))
                }
                _ => Ok(Kind::Number),
            }
        }
        Operator::Sub => numeric("-"),
        Operator::Neg => numeric("-"),
        Operator::Mul => numeric("*"),
        Operator::Div => numeric("/"),
        Operator::Mod => numeric("%"),
        Operator::Exp => numeric("^"),
        Operator::Gt | Operator::Lt | Operator::Geq | Operator::Leq => {
            numeric("comparison")?;
            Ok(Kind::Bool)
        }
        Operator::Eq | Operator::Neq => {
            let (a, b) = (child(0)?, child(1)?);
            if a != Kind::Unknown && b != Kind::Unknown && a != b {
                return Err(format!(
                    "compares {} with {}, which is never equal",
                    a.describe(),
                    b.describe()
                ));
            }
            Ok(Kind::Bool)
        }
        Operator::And | Operator::Or | Operator::Not => {
            for i in 0..children.len() {
                let k = child(i)?;
                if matches!(k, Kind::Number | Kind::Str) {
                    return Err(format!(
                        "`&&`, `||` and `!` need true or false, but got {}",
                        k.describe()
                    ));
                }
            }
            Ok(Kind::Bool)
        }
        Operator::Const { value } => Ok(match value {
            Value::Float(_) | Value::Int(_) => Kind::Number,
            Value::Boolean(_) => Kind::Bool,
            Value::String(_) => Kind::Str,
            _ => Kind::Unknown,
        }),
        Operator::VariableIdentifierRead { identifier } => Ok(var(identifier)),
        Operator::FunctionIdentifier { identifier } => {
            let mut first = children.first();
            while let Some(n) = first {
                if matches!(n.operator(), Operator::RootNode) && n.children().len() == 1 {
                    first = n.children().first();
                } else {
                    break;
                }
            }
            let args: &[Parsed] = match first {
                Some(t) if matches!(t.operator(), Operator::Tuple) => t.children(),
                Some(t) => std::slice::from_ref(t),
                None => &[],
            };
            match identifier.as_str() {
                "if" => {
                    if let Some(cond) = args.first() {
                        let k = kind_of(cond, var)?;
                        if matches!(k, Kind::Number | Kind::Str) {
                            return Err(format!(
                                "`if` needs true or false first, but got {}",
                                k.describe()
                            ));
                        }
                    }
                    let a = args.get(1).map(|n| kind_of(n, var)).transpose()?;
                    let b = args.get(2).map(|n| kind_of(n, var)).transpose()?;
                    Ok(match (a, b) {
                        (Some(a), Some(b)) if a == b => a,
                        (Some(a), Some(Kind::Unknown)) => a,
                        (Some(Kind::Unknown), Some(b)) => b,
                        _ => Kind::Unknown,
                    })
                }
                "min" | "max" | "floor" | "ceil" | "round" | "math::abs" | "math::sqrt"
                | "math::ln" | "math::log2" | "math::log10" | "math::pow" | "math::exp" => {
                    for a in args {
                        let k = kind_of(a, var)?;
                        if matches!(k, Kind::Str | Kind::Bool) {
                            return Err(format!(
                                "`{identifier}` needs numbers, but got {}",
                                k.describe()
                            ));
                        }
                    }
                    Ok(Kind::Number)
                }
                _ => Ok(Kind::Unknown),
            }
        }
        _ => Ok(Kind::Unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, Scalar)]) -> IndexMap<String, Scalar> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn run(source: &str, v: &IndexMap<String, Scalar>) -> Result<Scalar, String> {
        eval(&parse(source)?, v)
    }

    #[test]
    fn integer_literals_equal_numbers() {
        let v = vars(&[("b", Scalar::Number(2.0))]);
        assert_eq!(run("b == 2", &v), Ok(Scalar::Bool(true)));
        assert_eq!(run("b != 2", &v), Ok(Scalar::Bool(false)));
        assert_eq!(run("b == 2.0", &v), Ok(Scalar::Bool(true)));
        assert_eq!(run("7 / 2", &v), Ok(Scalar::Number(3.5)));
        assert_eq!(run("b < 3", &v), Ok(Scalar::Bool(true)));
    }

    #[test]
    fn failures_say_what() {
        let v = vars(&[("x", Scalar::Number(0.0))]);
        assert!(run("1 / x", &v).unwrap_err().contains("infinite"));
        assert!(run("y + 1", &v).is_err());
    }

    #[test]
    fn kinds_catch_string_arithmetic_and_non_boolean_conditions() {
        let var = |name: &str| match name {
            "x" => Kind::Number,
            "job" => Kind::Str,
            "llm" => Kind::Bool,
            _ => Kind::Unknown,
        };
        let kind = |s: &str| kind_of(&parse(s).unwrap(), &var);
        assert!(kind("\"a\" + x").is_err());
        assert_eq!(kind("x * 2 + 1"), Ok(Kind::Number));
        assert_eq!(kind("job == \"training\" && llm"), Ok(Kind::Bool));
        assert!(kind("job == 2").is_err());
        assert_eq!(kind("if(llm, 1, 2)"), Ok(Kind::Number));
        assert!(kind("x && llm").is_err());
        assert_eq!(kind("unknown_fn(x)"), Ok(Kind::Unknown));
    }
}
