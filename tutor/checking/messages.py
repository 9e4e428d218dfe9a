"""Student-facing message templates. Each names the file, the function and the next step."""

PASSED = "{function_list} in {file} {agree} with the reference on {examples} inputs. Well done!"
FAILED = "{function} in {file} {what}"
"""For a `what` that continues the sentence: "got 1 of 6 values wrong …", "returned shape …"."""
FAILED_STANDALONE = "{function} in {file} is not right yet: {what}"
"""For a `what` that is a sentence of its own ("The trained model …", "forward() does not …")."""
NOT_IMPLEMENTED = (
    "{function} in {file} still raises NotImplementedError. Replace that line with your "
    "implementation, then check again."
)
"""'Check again' fits both `tutor check` and `tutor watch` (where saving the file is the check)."""
NOT_IMPLEMENTED_ELSEWHERE = (
    "{function} in {file} uses {callee} from {other}, which still raises NotImplementedError. "
    "Finish that exercise first (`tutor check {other_id}`), then check {exercise} again."
)
MISSING_FILE = "There is no file {file}. Run `tutor reset {exercise}` to get the starting stub back."
ONLY_NUMPY = (
    "The checker runs your code with {allowed} only, so {module!r} cannot be imported: write it "
    "with those (your own helper modules next to the file are fine)."
)
UNSAFE_FILE = (
    "{file} is not checked: {reason}. An exercise file must be a plain Python file in your "
    "exercises folder; run `tutor reset {exercise}` to get the stub back."
)
UNSAFE_NOTEBOOK = (
    "{file} is not checked: {reason}. A notebook must be a plain .ipynb file (as Jupyter saves it) "
    "in your folder, under 16 MiB with its outputs: clear large outputs, save it and check again."
)
ENCODING_ERROR = (
    "{file} is not valid UTF-8 text (line {line}, byte {position}). Save it as UTF-8 in your editor, "
    "or run `tutor reset {exercise}` to start again from the stub."
)
EMPTY_FILE = (
    "{file} is empty. Run `tutor reset {exercise}` to get the stub back, then fill in {function_list}."
)
SYNTAX_ERROR = "{file} has a syntax error on line {line}: {error}. Fix that line, then check again."
FORBIDDEN_IMPORT = (
    "{file} imports {module}, which is not allowed in this exercise{where}: the point is to write it "
    "yourself with NumPy. Remove the import."
)
FORBIDDEN_LIBRARY_LOADED = (
    "{module} was loaded while {file} ran, which is not allowed in this exercise: "
    "the point is to write it yourself with NumPy."
)
IMPORT_ERROR = "Importing {file} raised {error_type}: {error}{where}. Fix it so the file imports cleanly."
EARLIER_EXERCISE_MISSING = (
    "{module}.py is your solution to an earlier exercise. Put a copy of it in {folder}/ next to the "
    "file, or run this command from inside your workspace: `tutor check {exercise} --file ...` then "
    "takes it from the workspace's exercises/{module}.py."
)
IMPORT_EXITED = (
    "Importing {file} called exit ({detail}). Exiting never passes a check: remove the exit call{where}."
)
IMPORT_TIMEOUT = (
    "Importing {file} took longer than {seconds:g} s. Is there a loop, a sleep or an input() at the top "
    "level of the file? Move it inside a function or remove it."
)
MISSING_FUNCTION = (
    "{file} does not define a function named {function}. {defined} Name your function exactly {function}."
)
WRONG_SIGNATURE = (
    "{function} in {file} has the signature {function}({got}), but the tutor calls it as "
    "{function}({expected}). Keep the parameter names, their order and their defaults from the stub."
)
ERROR = "{function} in {file} raised {error_type}: {error}{where}, on the input shown below."
EXITED = (
    "{function} in {file} tried to exit the process ({detail}) on the input shown below. "
    "Exiting never passes a check: return the result instead."
)
TIMEOUT = (
    "{function} in {file} did not return within {seconds:g} s on the input shown below. "
    "Look for a loop that never ends."
)
MEMORY = (
    "{function} in {file} ran out of memory (the limit is {memory_mb} MB) on the input shown below. "
    "Is it building a far larger array than the output?"
)
CPU = "{function} in {file} used more than {cpu_seconds} s of CPU time in total. Look for a loop that never ends."
WORKER_STARTUP = (
    "The tutor's worker could not start ({detail}), before {file} was even imported: this is not your "
    "code. The worker's limits may be too small (memory {memory_mb} MB): raise memory_mb in the [limits] "
    "table of tutor.toml or with --memory-mb, or run `tutor doctor`."
)
FILE_TOO_LARGE = (
    "{function} in {file} tried to write a file larger than the {file_mb} MB limit{where}, on the input "
    "shown below. The function only needs to return an array: remove the file writing."
)
TOTAL_TIMEOUT = (
    "{function} in {file} is too slow: the check stopped when it reached its {total_seconds:g} s in total, "
    "after {calls} calls taking {average:.2g} s each on average. Look for a sleep, an input() or a loop "
    "far longer than the output."
)
FORBIDDEN_ELSEWHERE = (
    "{module} was loaded in another process started by {function} in {file}, which is not allowed in this "
    "exercise: the point is to write it yourself with NumPy. Remove the subprocess."
)
CRASHED = (
    "The worker running {function} from {file} crashed ({detail}) on the input shown below. "
    "This usually comes from ctypes, os.kill or a broken C extension; your output below may show where."
)
TAMPERED = (
    "The worker running {function} from {file} sent something no honest function can produce: {detail}. "
    "The check failed; return your result and leave the tutor's worker alone."
)
MODIFIED_INPUT = (
    "{function} in {file} changed its input `{argument}` in place. The caller's array must stay as it "
    "was: work on a copy (e.g. {argument} = {argument}.copy()) or build a new array."
)
NOT_REPRODUCIBLE = (
    "{function} in {file} gave a different result when called again with the same input, so a failure "
    "cannot be replayed: its output depends on something other than its arguments (np.random's global "
    "state, the clock, a global variable)."
)
RETURNED_INPUT = (
    "{function} in {file} returned its input `{argument}` itself (or a view of it) instead of a new array, "
    "on the input shown below. The caller would then share memory with the result: build the result "
    "with a new array (e.g. np.maximum(x, 0) rather than returning x when nothing changes)."
)
