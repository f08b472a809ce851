"""A static check that code works when the networks are on a GPU (a Colab GPU runtime):
every tensor fed to a network must be on the network's device, and every network output
must come back to the CPU before ``.numpy()``. It reads the code (Python's ``ast``), so it
needs no GPU; tests/test_device.py runs it over gan_utils/ and over the notebooks.

    python tools/device_check.py gan_utils book    # prints one line per finding

Two rules:

1. *host tensor fed to a network*: a call of a network whose argument may be a tensor made
   on the CPU: ``torch.from_numpy``, ``torch.as_tensor``, ``torch.tensor``, ``torch.randn``,
   ... without ``device=``, a ``.cpu()`` result, anything computed from one of those, or a
   parameter of a function or method (its caller decides where it lives; not a nested
   function's, whose arguments come from the function around it). ``x.to(...)``, ``x.cuda()``,
   a constructor given ``device=`` and a network's output are on the network's device.
   A network built on the CPU in the same scope (``build(spec)`` or ``fit_discriminator``,
   never moved) may be fed CPU tensors.
2. *network output to NumPy without .cpu()*: ``y.numpy()`` where ``y`` may hold a network's
   output (on its device) and was not brought back with ``.cpu()``.

Networks are recognised by name (``G``, ``D``, ``generator``, ``critic``, ...; attributes
``.generator``, ``.discriminator``, ``.shadow``), by origin (``build(...)``,
``.generator_at(i)``, ``.discriminator_at(i)``, ``fit_discriminator(...)``) and by the
annotation ``nn.Module``. ``forward`` methods are skipped: inside a network, tensors are
already on its device. It is a lint, not a proof: it follows names through assignments in
order, within a cell sequence or a function, and may both miss and over-report.
"""

from __future__ import annotations

import ast
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

NETWORK_NAMES = {"G", "D", "generator", "discriminator", "critic", "netG", "netD"}
NETWORK_ATTRS = {"generator", "discriminator", "critic", "shadow"}
NETWORK_FACTORIES = {"generator_at", "discriminator_at", "build", "fit_discriminator", "deepcopy"}
HOST_BUILT = {"build", "fit_discriminator"}  # these make a network on the CPU
HOST_CONSTRUCTORS = {
    "from_numpy",
    "as_tensor",
    "tensor",
    "randn",
    "rand",
    "randint",
    "randperm",
    "zeros",
    "ones",
    "full",
    "empty",
    "linspace",
    "logspace",
    "arange",
    "eye",
    "normal",
}
SCALAR_ANNOTATIONS = {"int", "float", "bool", "str", "Loss", "Axes", "Figure", "Recipe", "Dataset"}
CONTAINERS = {"tuple", "list", "Sequence"}  # clean when what they hold is: tuple[int, ...]
CLEAN_ATTRS = {"shape", "ndim", "dtype", "device", "requires_grad"}
CLEAN_METHODS = {"item", "tolist", "dim", "numel", "size", "parameters", "state_dict"}
CLEAN_BUILTINS = {"len", "int", "float", "bool", "str", "range", "print", "isinstance", "format"}


@dataclass(frozen=True)
class Finding:
    where: str  # file (and cell) name
    line: int
    rule: str
    code: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.rule}: {self.code}"


@dataclass(frozen=True)
class Taint:
    host: bool = False  # may be a CPU tensor (or of unknown device)
    dev: bool = False  # may be on a network's device

    def __or__(self, other: Taint) -> Taint:
        return Taint(self.host or other.host, self.dev or other.dev)


CLEAN, HOST, DEV = Taint(), Taint(host=True), Taint(dev=True)


@dataclass
class Scope:
    names: dict[str, Taint] = field(default_factory=dict)
    networks: dict[str, str] = field(default_factory=dict)  # name -> "host" or "any"
    depth: int = 0  # 0: a module or notebook; 1: inside a function or class; ...

    def child(self) -> Scope:
        return Scope(dict(self.names), dict(self.networks), self.depth)


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_torch(func: ast.expr) -> bool:
    """``torch.X`` (or ``th.X``): a function of the torch namespace itself."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in {"torch", "th"}
    )


def _annotation_names(node: ast.expr | None) -> set[str]:
    return (
        {
            n.id if isinstance(n, ast.Name) else n.attr
            for n in ast.walk(node)
            if isinstance(n, (ast.Name, ast.Attribute))
        }
        if node
        else set()
    )


class Checker:
    def __init__(self, where: str, lines: list[str] | None = None) -> None:
        self.where = where
        self.lines = lines or []
        self.findings: list[Finding] = []

    # ------------------------------------------------------------------ networks
    def network_home(self, node: ast.expr, scope: Scope) -> str | None:
        """ "host" (built on the CPU here), "any" (device unknown), or None: not a network."""
        if isinstance(node, ast.Name):
            if node.id in scope.networks:
                return scope.networks[node.id]
            return "any" if node.id in NETWORK_NAMES else None
        if isinstance(node, ast.Attribute):
            if node.attr in NETWORK_ATTRS:
                return "any"
            return None
        if isinstance(node, ast.Call):
            name = _call_name(node.func)
            if name in ("to", "cuda"):  # net.to(device): moved
                inner = (
                    self.network_home(node.func.value, scope)
                    if isinstance(node.func, ast.Attribute)
                    else None
                )
                return "any" if inner else None
            if name in ("eval", "train", "requires_grad_") and isinstance(node.func, ast.Attribute):
                return self.network_home(node.func.value, scope)
            if name in NETWORK_FACTORIES:
                if name == "deepcopy":
                    return self.network_home(node.args[0], scope) if node.args else None
                return "host" if name in HOST_BUILT else "any"
        return None

    # ------------------------------------------------------------------ expressions
    def report(self, node: ast.AST, rule: str) -> None:
        line = node.lineno
        code = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ast.unparse(node)
        self.findings.append(Finding(self.where, line, rule, code))

    def taint(self, node: ast.expr | None, scope: Scope) -> Taint:
        if node is None:
            return CLEAN
        if isinstance(node, ast.Name):
            return scope.names.get(node.id, CLEAN)
        if isinstance(node, ast.Constant):
            return CLEAN
        if isinstance(node, ast.Attribute):
            if node.attr in CLEAN_ATTRS:
                self.taint(node.value, scope)
                return CLEAN
            return self.taint(node.value, scope)
        if isinstance(node, ast.Call):
            return self.call(node, scope)
        if isinstance(node, ast.Lambda):
            return CLEAN
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            inner = scope.child()
            for gen in node.generators:
                self.bind(gen.target, self.taint(gen.iter, inner), inner, gen.iter)
                for cond in gen.ifs:
                    self.taint(cond, inner)
            if isinstance(node, ast.DictComp):
                return self.taint(node.key, inner) | self.taint(node.value, inner)
            return self.taint(node.elt, inner)
        result = CLEAN
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                result = result | self.taint(child, scope)
        return result

    def call(self, node: ast.Call, scope: Scope) -> Taint:
        func, name = node.func, _call_name(node.func)
        args = [*node.args, *(k.value for k in node.keywords)]
        home = self.network_home(func, scope)
        if home is not None and name not in NETWORK_FACTORIES | {"to", "cuda", "eval", "train"}:
            # a network called on its inputs
            fed = CLEAN
            for a in args:
                fed = fed | self.taint(a, scope)
            if home == "any" and fed.host:
                self.report(node, "host tensor fed to a network (move it with .to(device))")
            if isinstance(func, ast.Call):
                self.taint(func, scope)
            return HOST if home == "host" else DEV
        receiver = self.taint(func.value, scope) if isinstance(func, ast.Attribute) else CLEAN
        arg_taint = CLEAN
        for a in args:
            arg_taint = arg_taint | self.taint(a, scope)
        if name in ("to", "cuda") and isinstance(func, ast.Attribute):
            return DEV
        if name == "cpu" and isinstance(func, ast.Attribute):
            return HOST if (receiver.host or receiver.dev) else CLEAN
        if name == "numpy" and isinstance(func, ast.Attribute):
            if receiver.dev:
                self.report(node, "network output to NumPy without .cpu()")
            return CLEAN
        if name in ("asarray", "array") and isinstance(func, ast.Attribute) and not _is_torch(func):
            if arg_taint.dev:
                self.report(node, "network output to NumPy without .cpu()")
            return CLEAN
        if (
            name in CLEAN_METHODS
            and isinstance(func, ast.Attribute)
            or (isinstance(func, ast.Name) and func.id in CLEAN_BUILTINS)
        ):
            return CLEAN
        if _is_torch(func) and name in HOST_CONSTRUCTORS:
            return DEV if any(k.arg == "device" for k in node.keywords) else HOST
        if _is_torch(func) or isinstance(func, ast.Attribute):
            return receiver | arg_taint
        return arg_taint  # a plain function: its result is made of its arguments

    # ------------------------------------------------------------------ statements
    def bind(self, target: ast.expr, taint: Taint, scope: Scope, value: ast.expr | None = None) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = taint
            home = self.network_home(value, scope) if value is not None else None
            if home is not None:
                scope.networks[target.id] = home
            else:
                scope.networks.pop(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = (
                value.elts
                if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
                else [None] * len(target.elts)
            )
            for t, v in zip(target.elts, values, strict=True):
                self.bind(t, self.taint(v, scope) if v is not None else taint, scope, v)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, taint, scope)
        else:  # x[i] = ..., x.attr = ...: the container takes the taint too
            self.taint(target, scope)

    def body(self, statements: list[ast.stmt], scope: Scope) -> None:
        for st in statements:
            self.statement(st, scope)

    def statement(self, st: ast.stmt, scope: Scope) -> None:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if st.name == "forward":
                return
            inner = scope.child()
            inner.depth = scope.depth + 1
            a = st.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is None or arg.arg in ("self", "cls"):
                    continue
                kinds = _annotation_names(arg.annotation)
                if "Module" in kinds:
                    inner.networks[arg.arg] = "any"
                    inner.names[arg.arg] = CLEAN
                elif kinds - CONTAINERS and kinds <= SCALAR_ANNOTATIONS | CONTAINERS | {"None"}:
                    inner.names[arg.arg] = CLEAN
                elif scope.depth == 0:  # a caller's tensor may live anywhere
                    inner.names[arg.arg] = HOST
                else:  # a nested function's arguments come from its enclosing function
                    inner.names[arg.arg] = CLEAN
            for d in [*a.defaults, *a.kw_defaults]:
                self.taint(d, scope)
            self.body(st.body, inner)
        elif isinstance(st, ast.ClassDef):
            self.body(st.body, scope.child())  # methods: a caller's tensors, like functions
        elif isinstance(st, ast.Assign):
            taint = self.taint(st.value, scope)
            for target in st.targets:
                self.bind(target, taint, scope, st.value)
        elif isinstance(st, ast.AnnAssign):
            if st.value is not None:
                self.bind(st.target, self.taint(st.value, scope), scope, st.value)
        elif isinstance(st, ast.AugAssign):
            taint = self.taint(st.value, scope)
            if isinstance(st.target, ast.Name):
                scope.names[st.target.id] = scope.names.get(st.target.id, CLEAN) | taint
        elif isinstance(st, (ast.For, ast.AsyncFor)):
            self.bind(st.target, self.taint(st.iter, scope), scope, None)
            self.body(st.body, scope)
            self.body(st.orelse, scope)
        elif isinstance(st, (ast.With, ast.AsyncWith)):
            for item in st.items:
                taint = self.taint(item.context_expr, scope)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, taint, scope, None)
            self.body(st.body, scope)
        elif isinstance(st, (ast.If, ast.While)):
            self.taint(st.test, scope)
            self.body(st.body, scope)
            self.body(st.orelse, scope)
        elif isinstance(st, ast.Try):
            for part in (st.body, *(h.body for h in st.handlers), st.orelse, st.finalbody):
                self.body(part, scope)
        else:
            for child in ast.iter_child_nodes(st):
                if isinstance(child, ast.expr):
                    self.taint(child, scope)


# ---------------------------------------------------------------------------- entry points


def check_source(source: str, where: str, scope: Scope | None = None) -> list[Finding]:
    """Findings in one piece of Python (``scope`` carries names over, as between cells)."""
    checker = Checker(where, source.splitlines())
    checker.body(ast.parse(source).body, scope if scope is not None else Scope())
    return checker.findings


def _python_of_cell(source: str) -> str:
    """A code cell as plain Python: IPython magics and shell lines become ``pass``."""
    out = []
    for line in source.splitlines():
        stripped = line.lstrip()
        out.append(line[: len(line) - len(stripped)] + "pass" if stripped.startswith(("%", "!")) else line)
    return "\n".join(out)


def check_notebook(path: str | Path) -> list[Finding]:
    """Findings in a notebook's code cells, in order (names flow from cell to cell), each
    named ``file.ipynb[cell N]`` with N the cell's index (0-based, counting every cell)."""
    path = Path(path)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    scope, findings = Scope(), []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        findings += check_source(_python_of_cell(source), f"{path.name}[cell {i}]", scope)
    return findings


def check_paths(paths: list[str | Path]) -> list[Finding]:
    """Every .py and .ipynb file under ``paths`` (files or folders)."""
    findings = []
    for p in map(Path, paths):
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if "_build" in f.parts or ".ipynb_checkpoints" in f.parts:
                continue
            if f.suffix == ".py":
                findings += check_source(f.read_text(encoding="utf-8"), str(f))
            elif f.suffix == ".ipynb":
                findings += check_notebook(f)
    return findings


def main(argv: list[str] | None = None) -> int:
    paths = (argv if argv is not None else sys.argv[1:]) or ["gan_utils", "book"]
    findings = check_paths(paths)
    for f in findings:
        print(f)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
