"""Exercise capstone: your own layers, chained into a small CNN and trained on handwritten digits.

Check it with:   tutor check capstone      (checks your forward and backward passes, then trains once)
Train it alone:  python exercises/capstone.py
Only NumPy is allowed. The imports below are your own earlier exercises (run their checks first).
"""

import numpy as np

from tutor.data import training_split

from activations import relu  # noqa: F401 - your exercises/activations.py
from conv2d import conv2d  # noqa: F401
from conv2d_backward import conv2d_backward  # noqa: F401
from max_pool2d import max_pool2d  # noqa: F401
from max_pool2d_backward import max_pool2d_backward  # noqa: F401
from optimizers import adam_step, sgd_momentum_step  # noqa: F401
from relu_backward import relu_backward  # noqa: F401
from softmax_cross_entropy import softmax_cross_entropy

TRAINING_BUDGET_SECONDS = 60
"""train_cnn must return within this many seconds on the grader (one CPU thread)."""

PARAMETER_SHAPES = {
    "conv1_w": (8, 1, 4, 4),
    "conv1_b": (8,),
    "conv2_w": (16, 8, 3, 3),
    "conv2_b": (16,),
    "fc_w": (10, 256),
    "fc_b": (10,),
}
"""The network's parameters, by name, in order: 3,874 numbers."""


def forward(x: np.ndarray, params: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The network's forward pass: returns (logits, cache).

    x: (N, 1, 32, 32). The architecture is fixed (the grader loads your parameters into it):

        z1 = conv2d(x, conv1_w, conv1_b, stride=2, padding=1)    → (N, 8, 16, 16)
        a1 = relu(z1);  p1 = max_pool2d(a1, 2)                   → (N, 8, 8, 8)
        z2 = conv2d(p1, conv2_w, conv2_b, stride=1, padding=1)   → (N, 16, 8, 8)
        a2 = relu(z2);  p2 = max_pool2d(a2, 2)                   → (N, 16, 4, 4)
        flat = p2.reshape(N, 256)       (channel by channel, as torch's flatten)
        logits = flat @ fc_w.T + fc_b                            → (N, 10), no softmax

    cache: whatever backward needs, e.g. {"x": x, "z1": z1, "a1": a1, "p1": p1, ...}.

    Worked example: x of shape (2, 1, 32, 32) gives logits of shape (2, 10); with the biases at 0
    and x all zeros, every logit is 0.
    """
    # TODO: the six layers above, keeping each layer's input in the cache.
    raise NotImplementedError


def backward(
    dlogits: np.ndarray, cache: dict[str, np.ndarray], params: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The backward pass: the gradient of the loss for every parameter, by name.

    dlogits: (N, 10), the gradient of the loss with respect to the logits (from
    softmax_cross_entropy, already divided by N). Go through the layers in reverse order:

        dfc_w = dlogits.T @ flat      dfc_b = dlogits summed over the batch
        dflat = dlogits @ fc_w, reshaped to p2's shape (N, 16, 4, 4)
        then max_pool2d_backward, relu_backward, conv2d_backward for conv2, and again for conv1,
        each with its own layer's input and the same stride and padding as the forward pass.

    Returns {"conv1_w": ..., "conv1_b": ..., ..., "fc_b": ...}: each gradient has its parameter's shape.

    Worked example: for a batch of 2 images, grads["fc_w"].shape == (10, 256) and
    grads["conv1_b"].shape == (8,).
    """
    # TODO: dlogits → fc → flatten → pool → ReLU → conv2 → pool → ReLU → conv1.
    raise NotImplementedError


def train_cnn(seed: int = 0, show_progress: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Train a fresh network on the training digits; return (params, losses).

    training_split() gives images of shape (1497, 1, 32, 32), float32 in [0, 1], and labels 0..9.
    The tutor keeps 300 other digits to itself and needs at least 90% accuracy on them.
    Within TRAINING_BUDGET_SECONDS on one CPU thread: the reference trains 3 epochs in about 10 s.

    Start from init_params(seed) and shuffle with np.random.default_rng(seed). Every step: a
    mini-batch, cnn_loss_and_gradients, and one optimizer step (adam_step, or sgd_momentum_step)
    for every parameter. Show a rich progress bar (rich.progress) when show_progress is true.

    Returns the trained parameters {name: array} (the shapes of PARAMETER_SHAPES) and the loss
    of every step as a 1-D array, in order: `tutor check capstone` draws it.

    Worked example: 3 epochs of batches of 32 are 141 steps, so losses.shape == (141,); the first
    loss is near ln 10 ≈ 2.3 (ten classes, equally likely at first) and the last well below 0.5.
    """
    # TODO: epochs of shuffled mini-batches; forward, loss, backward, optimizer step; record the loss.
    raise NotImplementedError


# -- Given: you do not need to change these. ---------------------------------------------------------
def init_params(seed: int) -> dict[str, np.ndarray]:
    """A fresh network: He-normal weights (std √(2 / fan_in)), zero biases."""
    rng = np.random.default_rng(seed)
    params = {}
    for name, shape in PARAMETER_SHAPES.items():
        if name.endswith("_b"):
            params[name] = np.zeros(shape)
        else:
            fan_in = int(np.prod(shape[1:]))
            params[name] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    return params


def cnn_logits(x: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """The logits of your forward pass, (N, 10)."""
    return forward(x, params)[0]


def cnn_loss_and_gradients(
    x: np.ndarray, labels: np.ndarray, params: dict[str, np.ndarray]
) -> tuple[float, dict[str, np.ndarray]]:
    """The mean cross-entropy of the batch and its gradient for every parameter, by name."""
    logits, cache = forward(x, params)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    return loss, backward(dlogits, cache, params)


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    trained, history = train_cnn(0, show_progress=True)
    data = training_split()
    predicted = cnn_logits(data.images.astype(np.float64), trained).argmax(axis=1)
    print(
        f"trained in {time.perf_counter() - started:.1f} s; loss {history[0]:.3f} → {history[-1]:.3f}; "
        f"accuracy on the training digits {np.mean(predicted == data.labels):.1%}"
    )
    print("Now run: tutor check capstone")
