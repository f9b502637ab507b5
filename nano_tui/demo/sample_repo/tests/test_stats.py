import unittest

from tally import mean, median, spread


class StatsTest(unittest.TestCase):
    def test_mean(self):
        self.assertEqual(mean([1, 2, 3, 4]), 2.5)

    def test_median_odd_length(self):
        self.assertEqual(median([3, 1, 2]), 2)

    def test_median_even_length(self):
        self.assertEqual(median([4, 1, 3, 2]), 2.5)

    def test_median_of_two(self):
        self.assertEqual(median([10, 20]), 15)

    def test_spread(self):
        self.assertEqual(spread([5, -1, 3]), 6)


if __name__ == "__main__":
    unittest.main()
