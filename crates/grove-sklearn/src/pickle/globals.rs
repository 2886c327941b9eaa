//! The allow-list: the only module-level names a pickle may mention, each tied to what the
//! reader does with it. Nothing here is ever looked up in Python; a name either maps to one of
//! these typed behaviours or the file is refused.

/// What an allowed name may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `numpy.core.multiarray._reconstruct`: an empty array that a BUILD then fills.
    Reconstruct,
    /// `numpy.dtype`, called with a type string; a BUILD then sets byte order and fields.
    Dtype,
    /// `numpy.core.multiarray.scalar(dtype, bytes)`.
    Scalar,
    /// `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)` (protocol 5 arrays).
    FromBuffer,
    /// `copyreg._reconstructor(cls, object, None)`: how protocols 0 and 1 create instances.
    CopyregReconstructor,
    /// `_codecs.encode(str, "latin1")`: how protocols 0 to 2 spell bytes.
    CodecsEncode,
    /// Factories and compiled classes of state nobody reads (numpy random generators, Cython
    /// loss objects): calling or instantiating one yields an opaque record.
    Opaque,
    /// `sklearn.tree._tree.Tree(n_features, n_classes, n_outputs)`.
    SklearnTree,
    /// joblib's stand-in for an array whose bytes follow the BUILD in the stream.
    ArrayWrapper,
    /// A class whose instances are plain attribute dictionaries (estimators, losses, links):
    /// instantiated by NEWOBJ or `copyreg._reconstructor`, never called.
    Class,
    /// A name that only ever appears as an argument (`numpy.ndarray`, `builtins.object`).
    DataOnly,
}

const TREES: &[&str] = &[
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "ExtraTreeClassifier",
    "ExtraTreeRegressor",
];
const FORESTS: &[&str] = &[
    "RandomForestClassifier",
    "RandomForestRegressor",
    "ExtraTreesClassifier",
    "ExtraTreesRegressor",
];
const BOOSTING: &[&str] = &["GradientBoostingClassifier", "GradientBoostingRegressor"];
/// Loss classes of sklearn ≤ 1.3 (`sklearn.ensemble._gb_losses`).
const OLD_LOSSES: &[&str] = &[
    "BinomialDeviance",
    "MultinomialDeviance",
    "ExponentialLoss",
    "LeastSquaresError",
    "LeastAbsoluteError",
    "HuberLossFunction",
    "QuantileLossFunction",
];
/// Loss classes of sklearn ≥ 1.4 (`sklearn._loss.loss`).
const LOSSES: &[&str] = &[
    "HalfSquaredError",
    "AbsoluteError",
    "PinballLoss",
    "HuberLoss",
    "HalfBinomialLoss",
    "HalfMultinomialLoss",
    "ExponentialLoss",
];
const LINKS: &[&str] =
    &["IdentityLink", "LogitLink", "HalfLogitLink", "MultinomialLogit", "LogLink", "Interval"];

/// The behaviour of `module.name`, or `None` when the name is not allowed.
pub(crate) fn resolve(module: &str, name: &str) -> Option<Kind> {
    // Protocols 0–2 spell some modules the Python 2 way; CPython maps them back the same way.
    let module = match module {
        "copy_reg" => "copyreg",
        "__builtin__" => "builtins",
        m => m,
    };
    let numpy_core = |m: &str, sub: &str| {
        m.strip_prefix("numpy.core.").or_else(|| m.strip_prefix("numpy._core.")) == Some(sub)
    };
    Some(match (module, name) {
        (m, "_reconstruct") if numpy_core(m, "multiarray") => Kind::Reconstruct,
        (m, "scalar") if numpy_core(m, "multiarray") => Kind::Scalar,
        (m, "_frombuffer") if numpy_core(m, "numeric") => Kind::FromBuffer,
        ("numpy", "dtype") => Kind::Dtype,
        ("numpy", "ndarray") | ("builtins", "object") => Kind::DataOnly,
        ("copyreg", "_reconstructor") => Kind::CopyregReconstructor,
        ("_codecs", "encode") => Kind::CodecsEncode,
        (
            "numpy.random._pickle",
            "__randomstate_ctor" | "__bit_generator_ctor" | "__generator_ctor",
        )
        | ("numpy.random.bit_generator", "__pyx_unpickle_SeedSequence") => Kind::Opaque,
        ("numpy.random._mt19937", "MT19937")
        | ("numpy.random.mtrand", "RandomState")
        | ("numpy.random.bit_generator", "SeedSequence") => Kind::Class,
        ("joblib.numpy_pickle" | "sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper") => {
            Kind::ArrayWrapper
        }
        ("sklearn.tree._tree", "Tree") => Kind::SklearnTree,
        // The un-prefixed module names are those of sklearn < 0.22.
        ("sklearn.tree._classes" | "sklearn.tree.tree", n) if TREES.contains(&n) => Kind::Class,
        ("sklearn.ensemble._forest" | "sklearn.ensemble.forest", n) if FORESTS.contains(&n) => {
            Kind::Class
        }
        ("sklearn.ensemble._gb" | "sklearn.ensemble.gradient_boosting", n)
            if BOOSTING.contains(&n) =>
        {
            Kind::Class
        }
        ("sklearn.ensemble._gb_losses" | "sklearn.ensemble.gradient_boosting", n)
            if OLD_LOSSES.contains(&n) =>
        {
            Kind::Class
        }
        ("sklearn._loss.loss", n) if LOSSES.contains(&n) => Kind::Class,
        ("sklearn._loss.link", n) if LINKS.contains(&n) => Kind::Class,
        // The Cython halves of the losses: compiled classes and the functions Cython
        // generates to restore them. Their state is a checksum and a few numbers.
        // Some releases (1.5) record the compiled module as plain `_loss`.
        ("sklearn._loss._loss" | "_loss", n)
            if n.starts_with("__pyx_unpickle_Cy") || n.starts_with("Cy") =>
        {
            Kind::Opaque
        }
        ("sklearn.dummy", "DummyClassifier" | "DummyRegressor") => Kind::Class,
        _ => return None,
    })
}

/// The behaviour of a dotted `module.name`.
pub(crate) fn resolve_name(full: &str) -> Option<Kind> {
    let (module, name) = full.rsplit_once('.')?;
    resolve(module, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_names_are_not_allowed() {
        for (m, n) in [
            ("posix", "system"),
            ("os", "system"),
            ("builtins", "eval"),
            ("builtins", "exec"),
            ("builtins", "getattr"),
            ("subprocess", "Popen"),
            ("numpy", "load"),
            ("sklearn._loss._loss", "eval"),
            ("joblib.numpy_pickle", "load"),
        ] {
            assert_eq!(resolve(m, n), None, "{m}.{n}");
        }
    }

    #[test]
    fn both_numpy_module_spellings_resolve() {
        assert_eq!(resolve("numpy.core.multiarray", "_reconstruct"), Some(Kind::Reconstruct));
        assert_eq!(resolve("numpy._core.multiarray", "_reconstruct"), Some(Kind::Reconstruct));
        assert_eq!(resolve("numpy._core.numeric", "_frombuffer"), Some(Kind::FromBuffer));
        assert_eq!(resolve("copy_reg", "_reconstructor"), Some(Kind::CopyregReconstructor));
    }
}
