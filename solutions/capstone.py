"""Reference solution for capstone: the course's own layers, chained forward and back, trained with Adam."""

import numpy as np

from tutor.data import training_split

from activations import relu
from conv2d import conv2d
from conv2d_backward import conv2d_backward
from max_pool2d import max_pool2d
from max_pool2d_backward import max_pool2d_backward
from optimizers import adam_step
from relu_backward import relu_backward
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
    # Keep every layer's input: each backward pass below needs the input of its own layer.
    z1 = conv2d(x, params["conv1_w"], params["conv1_b"], stride=2, padding=1)  # (N, 8, 16, 16)
    a1 = relu(z1)
    p1 = max_pool2d(a1, 2)  # (N, 8, 8, 8)
    z2 = conv2d(p1, params["conv2_w"], params["conv2_b"], stride=1, padding=1)  # (N, 16, 8, 8)
    a2 = relu(z2)
    p2 = max_pool2d(a2, 2)  # (N, 16, 4, 4)
    flat = p2.reshape(len(x), -1)  # (N, 256), in (C, H, W) order as torch's flatten
    logits = flat @ params["fc_w"].T + params["fc_b"]
    cache = {"x": x, "z1": z1, "a1": a1, "p1": p1, "z2": z2, "a2": a2, "p2": p2, "flat": flat}
    return logits, cache


def backward(
    dlogits: np.ndarray, cache: dict[str, np.ndarray], params: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    # The forward pass read backwards: every layer turns the gradient of its output into the
    # gradient of its input (and of its own parameters).
    grads = {"fc_w": dlogits.T @ cache["flat"], "fc_b": dlogits.sum(axis=0)}
    dp2 = (dlogits @ params["fc_w"]).reshape(cache["p2"].shape)  # undo the flatten
    da2 = max_pool2d_backward(dp2, cache["a2"], 2)
    dz2 = relu_backward(da2, cache["z2"])
    dp1, grads["conv2_w"], grads["conv2_b"] = conv2d_backward(dz2, cache["p1"], params["conv2_w"], 1, 1)
    da1 = max_pool2d_backward(dp1, cache["a1"], 2)
    dz1 = relu_backward(da1, cache["z1"])
    # dx of the first layer is the gradient of the image itself: computed, and not needed.
    _, grads["conv1_w"], grads["conv1_b"] = conv2d_backward(dz1, cache["x"], params["conv1_w"], 2, 1)
    return grads


def train_cnn(seed: int = 0, show_progress: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray]:
    from rich.progress import Progress

    data = training_split()
    images = data.images.astype(np.float64)  # a writable float64 copy: the split is read-only
    labels = data.labels
    params = init_params(seed)
    m = {name: np.zeros_like(p) for name, p in params.items()}
    v = {name: np.zeros_like(p) for name, p in params.items()}
    rng = np.random.default_rng(seed)
    epochs, batch, lr = 3, 32, 1e-2
    losses, step = [], 0
    with Progress(disable=not show_progress) as progress:
        task = progress.add_task("training", total=epochs * -(-len(images) // batch))
        for _ in range(epochs):
            # A new order every epoch: batches that always hold the same digits would bias the steps.
            order = rng.permutation(len(images))
            for start in range(0, len(images), batch):
                chosen = order[start : start + batch]
                loss, grads = cnn_loss_and_gradients(images[chosen], labels[chosen], params)
                step += 1  # Adam's bias correction counts steps from 1
                for name in params:
                    params[name], m[name], v[name] = adam_step(
                        params[name], grads[name], m[name], v[name], step, lr
                    )
                losses.append(loss)
                progress.update(task, advance=1, description=f"training · loss {loss:.3f}")
    return params, np.array(losses)


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
