"""Exercise lenet: build LeNet-5 with torch.nn, then train it on handwritten digits.

Check it with:   tutor check lenet      (builds your model, then trains it once: about a minute)
Train it alone:  python exercises/lenet.py
PyTorch is allowed in this exercise, and only here.
"""

import numpy as np
import torch
from torch import nn

from tutor.data import training_split

TRAINING_BUDGET_SECONDS = 45
"""train_lenet must return within this many seconds on the grader (one CPU thread)."""


class LeNet(nn.Module):
    """LeNet-5 as the course describes it, for 1×32×32 inputs and 10 classes.

    Keep the layers, in order, in one nn.Sequential named self.net (the tutor walks through it
    to see the shape after every stage):

        5×5 convolution, 1 → 6 channels, no padding     → (N, 6, 28, 28)
        sigmoid, then 2×2 average pooling of stride 2   → (N, 6, 14, 14)
        5×5 convolution, 6 → 16 channels, no padding    → (N, 16, 10, 10)
        sigmoid, then 2×2 average pooling of stride 2   → (N, 16, 5, 5)
        flatten                                         → (N, 400)
        fully connected 400 → 120, sigmoid, 120 → 84, sigmoid, 84 → 10 (no activation: logits)

    61,706 learnable parameters in all.
    """

    def __init__(self) -> None:
        super().__init__()
        # TODO: self.net = nn.Sequential(...) with the twelve layers above.
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def train_lenet(seed: int = 0, show_progress: bool = False) -> dict[str, np.ndarray]:
    """Train a fresh LeNet on the training digits and return its parameters as named arrays.

    training_split() gives images of shape (1497, 1, 32, 32), float32 in [0, 1], and labels 0..9.
    The tutor keeps 300 other digits to itself and needs at least 95% accuracy on them.
    Within TRAINING_BUDGET_SECONDS on one CPU thread: a few thousand mini-batch steps of Adam fit.

    Call torch.manual_seed(seed) first so the same seed gives the same model. Show a rich progress
    bar (rich.progress) when show_progress is true.

    Returns {name: array} for every parameter, in the model's order, e.g.
    {name: p.detach().numpy().copy() for name, p in model.named_parameters()}.
    """
    # TODO: a training loop: shuffle, mini-batches, cross-entropy loss, an optimizer, a few epochs.
    raise NotImplementedError


# -- Given: the tutor calls these to look inside your model. You do not need to change them. --------
def lenet_parameters(seed: int) -> dict[str, np.ndarray]:
    """A fresh LeNet's parameters, by name, in the model's order."""
    torch.manual_seed(seed)
    return {name: p.detach().numpy().copy() for name, p in LeNet().named_parameters()}


def lenet_stages(x: np.ndarray, seed: int) -> dict[str, list[np.ndarray]]:
    """Run x through a fresh LeNet (float64) one layer of self.net at a time.

    Returns its parameters in order, the output of every stage, and the output of forward().
    """
    torch.manual_seed(seed)
    model = LeNet().double()
    stages = []
    with torch.no_grad():
        out = torch.from_numpy(x)
        for layer in model.net:
            out = layer(out)
            stages.append(out.numpy().copy())
        final = model(torch.from_numpy(x)).numpy().copy()
    return {
        "parameters": [p.detach().numpy().copy() for p in model.parameters()],
        "stages": stages,
        "output": [final],
    }


if __name__ == "__main__":
    import time

    # One thread, as on the grader: the budget is measured that way, and on a busy machine more
    # threads than free cores make training many times slower, not faster.
    torch.set_num_threads(1)
    started = time.perf_counter()
    weights = train_lenet(0, show_progress=True)
    model = LeNet()
    model.load_state_dict({name: torch.from_numpy(w) for name, w in weights.items()}, strict=False)
    data = training_split()
    with torch.no_grad():
        predicted = model(torch.from_numpy(np.array(data.images))).argmax(dim=1).numpy()
    print(
        f"trained in {time.perf_counter() - started:.1f} s; accuracy on the training digits {np.mean(predicted == data.labels):.1%}"
    )
    print("Now run: tutor check lenet")
