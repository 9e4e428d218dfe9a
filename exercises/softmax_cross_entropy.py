"""Exercise softmax_cross_entropy: the classification loss and its gradient, in one stable pass.

Check it with:  tutor check softmax_cross_entropy
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy averaged over the batch, and its gradient with respect to the logits.

    logits: (N, K)   one row of K class scores per example
    labels: (N,)     integers in [0, K): the true class of each example

    With p = softmax(logits) row by row:

        loss    = (1/N) · Σ_n −log p[n, labels[n]]
        dlogits = (p − onehot(labels)) / N                 shape (N, K)

    Logits may be in the thousands, where np.exp overflows: subtract each row's max first
    (softmax does not change), and compute log p as (z − max) − log Σ exp(z − max).

    Returns (loss, dlogits): loss a float, dlogits a new float array. Do not modify the inputs.

    Worked example: logits = [[1, 2, 3], [1, 1, 1]], labels = [2, 0]  ->  loss = 0.7531,
    dlogits = [[0.0450, 0.1224, −0.1674], [−0.3333, 0.1667, 0.1667]].
    """
    # TODO: a stable log-softmax, the loss from it, then the gradient p − onehot, divided by N.
    raise NotImplementedError
